"""The buyer's pages: add to basket from a (cached) product page, see the basket and its shipping,
check out as a guest or with an account, and follow the order by its private link; chamber staff
record bank transfers in the admin."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from catalog.models import Product
from marketplace.orders.models import Order
from marketplace.orders.selectors import order_url
from marketplace.shipping.addresses import address_rule
from sellers.roles import CHAMBER_STAFF_GROUP
from tests.factories.catalog import product_create, seller_pages
from tests.factories.orders import europe_zone, order_for
from tests.factories.sellers import SellerFactory, SellerMemberFactory, UserFactory

pytestmark = pytest.mark.django_db
ORIGIN = {"HTTP_ORIGIN": "http://testserver"}
ADDRESS = {"email": "camille@example.com", "name": "Camille Martin", "line1": "12 rue des Archives", "line2": "",
           "city": "Paris", "region": "", "postal_code": "75004", "country": "FR", "phone": "", "payment": "offline"}


@pytest.fixture
def products(tree):
    europe_zone()
    rug = product_create(seller_pages(tree, SellerFactory(legal_name="Coopérative Tazenakht")), title="Rug", stock=3)
    plate = product_create(seller_pages(tree, SellerFactory(legal_name="Poterie de Safi")), title="Plate",
                           craft="1.03.02", hs_code="6912.00", price="90", stock=40)
    return {"rug": rug, "plate": plate}


def add(client, product, quantity=1, **headers):
    return client.post(reverse("basket_add"), {"product": product.pk, "quantity": quantity}, **{**ORIGIN, **headers})


def review_attempt(client) -> str:
    """The checkout attempt's key that the review page's form carries."""
    html = client.get(reverse("checkout_review")).content.decode()
    match = re.search(r'name="attempt" value="([^"]+)"', html)
    assert match, "the review page has no attempt key"
    return match.group(1)


def place(client, attempt=None):
    return client.post(reverse("checkout_review"), {"attempt": review_attempt(client) if attempt is None else attempt})


def checkout_to_order(client, **changes):
    response = client.post(reverse("checkout"), {**ADDRESS, **changes})
    assert response.status_code == 302 and response["Location"] == reverse("checkout_review"), response.content
    response = place(client)
    assert response.status_code == 302
    return Order.objects.latest("pk"), response


class TestAddingToTheBasket:
    def test_the_product_page_form_adds_without_a_csrf_token_from_this_site(self, client, products):
        client.handler.enforce_csrf_checks = True
        page = products["rug"].pages.get(locale__language_code="en")
        html = client.get(page.url).content.decode()
        assert reverse("basket_add") in html and "csrfmiddlewaretoken" not in html
        response = add(client, products["rug"], 2)
        assert response.status_code == 302 and response["Location"] == reverse("basket")
        assert "Rug (en)" in client.get(reverse("basket")).content.decode()

    def test_a_post_from_another_site_or_without_origin_is_refused(self, client, products):
        assert add(client, products["rug"], HTTP_ORIGIN="https://evil.example").status_code == 403
        assert client.post(reverse("basket_add"), {"product": products["rug"].pk}).status_code == 403

    def test_more_than_the_stock_is_refused_with_the_reason(self, client, products):
        response = add(client, products["rug"], 9)
        html = client.get(response["Location"]).content.decode()
        assert "Only 3 left in stock." in html and "Rug (en)" not in html


    def test_a_product_with_a_large_id_is_the_one_added(self, client, tree, products):
        seller_pages_by_language = seller_pages(tree, SellerFactory(legal_name="Coopérative Ouled Berhil"))
        lamp = product_create(seller_pages_by_language, title="Lamp", price="300", stock=4, id=250_000)
        response = add(client, lamp, 1)
        assert response.status_code == 302 and response["Location"] == reverse("basket")
        assert "Lamp (en)" in client.get(reverse("basket")).content.decode()

    @pytest.mark.parametrize("product_id", ["9" * 30, "-5", "0", "1e3", ""])
    def test_a_product_id_no_product_can_have_is_not_found(self, client, products, product_id):
        response = client.post(reverse("basket_add"), {"product": product_id, "quantity": 1}, **ORIGIN)
        assert response.status_code == 404


class TestBasketPage:
    def test_lines_of_two_sellers_in_the_buyers_currency_with_each_sellers_shipping(self, client, products):
        add(client, products["rug"], 1)
        add(client, products["plate"], 2)
        client.cookies["currency"] = "EUR"
        html = client.get(reverse("basket"), {"country": "FR"}).content.decode()
        assert "EUR" in html and "Coopérative Tazenakht" in html and "Poterie de Safi" in html
        assert html.count("parcel,") == 2  # one parcel per seller
        assert "Checkout" in html

    def test_an_unserved_destination_is_told_before_checkout(self, client, products):
        add(client, products["rug"], 1)
        html = client.get(reverse("basket"), {"country": "JP"}).content.decode()
        assert "do not ship to JP" in html and reverse("checkout") not in html

    def test_basket_and_checkout_pages_are_never_cached(self, client, products):
        add(client, products["rug"], 1)
        for name in ("basket", "checkout"):
            assert "private" in client.get(reverse(name))["Cache-Control"]

    def test_changing_and_removing_lines(self, client, products):
        add(client, products["rug"], 1)
        client.post(reverse("basket_update"), {"product": products["rug"].pk, "quantity": 3})
        assert "value=\"3\"" in client.get(reverse("basket")).content.decode()
        client.post(reverse("basket_update"), {"product": products["rug"].pk, "remove": "1"})
        assert "Your basket is empty." in client.get(reverse("basket")).content.decode()


class TestCheckout:
    def test_a_guest_orders_and_sees_the_bank_transfer_instructions(self, client, products,
                                                                     django_capture_on_commit_callbacks):
        add(client, products["rug"], 1)
        add(client, products["plate"], 2)
        with django_capture_on_commit_callbacks(execute=True):
            order, response = checkout_to_order(client)
        assert response["Location"].startswith(f"http://testserver{order_url(order)}")
        assert order.user is None and order.email == "camille@example.com" and order.lines.count() == 2
        assert Product.objects.get(pk=products["rug"].pk).stock == 2
        html = client.get(response["Location"]).content.decode()
        assert order.reference in html and "IBAN" in html and "Awaiting payment" in html
        assert "Your basket is empty." in client.get(reverse("basket")).content.decode()
        assert [message.to for message in mail.outbox] == [["camille@example.com"]]

    def test_the_address_is_checked_for_its_country(self, client, products):
        add(client, products["rug"], 1)
        response = client.post(reverse("checkout"), {**ADDRESS, "postal_code": "7500"})
        example = address_rule("FR").postal_code_example
        assert response.status_code == 200 and f"Enter a postal code like {example}." in response.content.decode()
        response = client.post(reverse("checkout"), {**ADDRESS, "country": "JP", "region": "Tokyo", "postal_code": "100-0001"})
        assert "do not ship to JP" in response.content.decode()
        assert Order.objects.count() == 0

    def test_the_review_shows_the_summary_before_anything_is_placed(self, client, products):
        add(client, products["rug"], 1)
        client.post(reverse("checkout"), ADDRESS)
        html = client.get(reverse("checkout_review")).content.decode()
        assert "Place the order" in html and "Camille Martin" in html and "France" in html
        assert Order.objects.count() == 0

    def test_stock_sold_meanwhile_sends_the_buyer_back_to_the_basket_with_the_reason(self, client, products):
        add(client, products["rug"], 3)
        client.post(reverse("checkout"), ADDRESS)
        attempt = review_attempt(client)
        order_for((products["rug"], 2), email="quicker@example.com")
        response = place(client, attempt)
        assert response["Location"] == reverse("basket")
        assert "Only 1 left in stock." in client.get(reverse("basket")).content.decode()
        assert Order.objects.count() == 1

    def test_a_signed_in_buyer_finds_the_order_in_the_account(self, client, products):
        buyer = UserFactory(username="amina", email="amina@example.com")
        client.force_login(buyer)
        add(client, products["rug"], 1)
        assert "amina@example.com" in client.get(reverse("checkout")).content.decode()
        order, _response = checkout_to_order(client, email="amina@example.com")
        assert order.user == buyer
        assert order.reference in client.get(reverse("account_orders")).content.decode()

    def test_the_order_page_needs_its_private_token(self, client, products):
        order = order_for((products["rug"], 1))
        assert client.get(reverse("order_detail", args=[order.reference, "guess"])).status_code == 404
        assert client.get(order_url(order)).status_code == 200
        assert "private" in client.get(order_url(order))["Cache-Control"]


class TestPlacingOnce:
    """The same "place order" post, repeated, gives the same order (five concurrent posts made four)."""

    def test_a_repeated_post_of_the_review_form_gives_the_same_order_and_takes_the_stock_once(
            self, client, products):
        add(client, products["rug"], 2)
        client.post(reverse("checkout"), ADDRESS)
        attempt = review_attempt(client)
        first = place(client, attempt)
        second = place(client, attempt)
        third = place(client, attempt)
        order = Order.objects.get()
        assert first.status_code == second.status_code == third.status_code == 302
        assert first["Location"] == second["Location"] == third["Location"]
        assert first["Location"].startswith(f"http://testserver{order_url(order)}")
        assert Product.objects.get(pk=products["rug"].pk).stock == 1

    def test_a_new_review_after_placing_is_a_new_attempt(self, client, products):
        add(client, products["rug"], 1)
        client.post(reverse("checkout"), ADDRESS)
        first_attempt = review_attempt(client)
        place(client, first_attempt)
        add(client, products["plate"], 2)
        client.post(reverse("checkout"), ADDRESS)
        second_attempt = review_attempt(client)
        assert second_attempt != first_attempt
        place(client, second_attempt)
        assert Order.objects.count() == 2

    @pytest.mark.parametrize("attempt", ["", "someone-elses-guess", "a\x00b"])
    def test_a_post_without_this_sessions_attempt_places_nothing(self, client, products, attempt):
        add(client, products["rug"], 1)
        client.post(reverse("checkout"), ADDRESS)
        review_attempt(client)
        response = client.post(reverse("checkout_review"), {"attempt": attempt})
        assert response.status_code == 302 and response["Location"] == reverse("checkout_review")
        assert Order.objects.count() == 0 and Product.objects.get(pk=products["rug"].pk).stock == 3
        assert "out of date" in client.get(reverse("checkout_review")).content.decode()

    def test_the_service_returns_the_first_order_for_the_same_attempt(self, products):
        first = order_for((products["rug"], 1), placement_key="attempt-1")
        again = order_for((products["rug"], 1), placement_key="attempt-1")
        other = order_for((products["rug"], 1), placement_key="attempt-2")
        assert again.pk == first.pk != other.pk
        assert Order.objects.count() == 2 and Product.objects.get(pk=products["rug"].pk).stock == 1


class TestStaffRecordsTransfers:
    @pytest.fixture
    def staff_client(self, client):
        staff = UserFactory(username="chamber")
        staff.groups.add(Group.objects.get(name=CHAMBER_STAFF_GROUP))
        client.force_login(staff)
        return client

    def test_staff_see_orders_and_record_a_transfer(self, staff_client, products):
        order = order_for((products["rug"], 1))
        assert order.reference in staff_client.get(reverse("orders:index")).content.decode()
        assert "Record the bank transfer" in staff_client.get(reverse("orders:inspect", args=[order.pk])).content.decode()
        response = staff_client.post(reverse("orders:record_transfer", args=[order.pk]),
                                     {"amount": str(order.total), "confirm": "on"})
        assert response.status_code == 302
        order.refresh_from_db()
        assert order.status == Order.Status.PAID and order.payments.get().recorded_by == "chamber"

    def test_an_amount_that_is_not_money_is_refused(self, staff_client, products):
        order = order_for((products["rug"], 1))
        response = staff_client.post(reverse("orders:record_transfer", args=[order.pk]),
                                     {"amount": "-5", "confirm": "on"})
        assert response.status_code == 200 and "Enter an amount" in response.content.decode()
        order.refresh_from_db()
        assert order.status == Order.Status.AWAITING_PAYMENT and not order.bank_receipts.exists()

    def test_sellers_cannot_see_orders_or_record_payments(self, client, products):
        member = SellerMemberFactory(seller=products["rug"].seller)
        client.force_login(member.user)
        order = order_for((products["rug"], 1))
        assert client.get(reverse("orders:index")).status_code in (302, 403)
        client.post(reverse("orders:record_transfer", args=[order.pk]), {"amount": str(order.total), "confirm": "on"})
        order.refresh_from_db()
        assert order.status == Order.Status.AWAITING_PAYMENT
