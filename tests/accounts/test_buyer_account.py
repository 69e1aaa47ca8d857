"""The buyer's account area: saved addresses, favourites, data export, deletion, and guest orders attached."""

import json

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Favourite, SavedAddress
from accounts.services import account_delete
from marketplace.orders.models import Order
from marketplace.orders.services import orders_attach_to_user
from tests.factories.catalog import product_create, seller_pages
from tests.factories.orders import europe_zone, order_for
from tests.factories.sellers import SellerMemberFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
ADDRESS = {"name": "Camille Martin", "line1": "12 rue des Archives", "line2": "", "city": "Paris", "region": "",
           "postal_code": "75004", "country": "FR", "phone": ""}
ACCOUNT_URLS = ["account_overview", "account_orders", "account_addresses", "account_address_add", "account_favourites",
                "account_data_export", "account_delete"]


def buyer(username="camille", email=None, verified=True):
    user = UserFactory(username=username, email=email or f"{username}@example.fr")
    EmailAddress.objects.create(user=user, email=user.email, verified=verified, primary=True)
    return user


@pytest.fixture
def product(tree):
    europe_zone()
    return product_create(seller_pages(tree))


class TestOnlyTheSignedInBuyer:
    @pytest.mark.parametrize("name", ACCOUNT_URLS)
    def test_an_anonymous_visitor_is_sent_to_the_buyers_login(self, client, name):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login") + "?next=")

    def test_one_buyer_never_sees_or_changes_anothers_address(self, client):
        camille, other = buyer(), buyer("other")
        address = SavedAddress.objects.create(user=camille, **ADDRESS)
        client.force_login(other)

        assert "Archives" not in client.get(reverse("account_addresses")).content.decode()
        assert client.get(reverse("account_address_edit", args=[address.pk])).status_code == 404
        assert client.post(reverse("account_address_edit", args=[address.pk]), {**ADDRESS, "city": "Lyon"}).status_code == 404
        assert client.post(reverse("account_address_delete", args=[address.pk])).status_code == 404
        assert SavedAddress.objects.get(pk=address.pk).city == "Paris"
        assert "Archives" not in client.get(reverse("account_data_export")).content.decode()

    def test_one_buyer_never_sees_anothers_favourites(self, client, product):
        Favourite.objects.create(user=buyer(), product=product)
        client.force_login(buyer("other"))
        assert "Taznakht" not in client.get(reverse("account_favourites")).content.decode()

    @pytest.mark.parametrize("name", ["account_overview", "account_orders", "account_addresses", "account_favourites",
                                      "account_email", "account_change_password"])
    def test_every_account_page_has_the_account_menu_with_its_own_entry_current(self, client, name):
        client.force_login(buyer())
        html = client.get(reverse(name)).content.decode()
        assert 'class="account-nav"' in html
        assert f'<a href="{reverse(name)}" aria-current="page">' in html


class TestSavedAddresses:
    def test_an_address_is_checked_and_normalised_like_checkouts(self, client):
        client.force_login(buyer())

        bad = client.post(reverse("account_address_add"), {**ADDRESS, "postal_code": "7500"})
        client.post(reverse("account_address_add"), {**ADDRESS, "city": "  Paris ", "country": "FR"})

        assert bad.status_code == 200 and "form__errors" in bad.content.decode()
        [saved] = SavedAddress.objects.all()
        assert (saved.city, saved.postal_code, saved.is_default) == ("Paris", "75004", True)

    def test_editing_and_deleting_keep_one_default(self, client):
        camille = buyer()
        client.force_login(camille)
        client.post(reverse("account_address_add"), ADDRESS)
        client.post(reverse("account_address_add"), {**ADDRESS, "city": "Lyon", "postal_code": "69001", "is_default": "on"})
        lyon = SavedAddress.objects.get(city="Lyon")
        assert list(SavedAddress.objects.filter(is_default=True)) == [lyon]

        client.post(reverse("account_address_edit", args=[lyon.pk]), {**ADDRESS, "city": "Lyon", "postal_code": "69002"})
        client.post(reverse("account_address_delete", args=[lyon.pk]))

        [paris] = SavedAddress.objects.all()
        assert paris.city == "Paris" and paris.is_default

    def test_the_default_address_fills_in_checkout(self, client, product):
        camille = buyer()
        SavedAddress.objects.create(user=camille, is_default=True, **{**ADDRESS, "line1": "3 quai Voltaire"})
        client.force_login(camille)
        client.post(reverse("basket_add"), {"product": product.pk, "quantity": 1}, HTTP_ORIGIN="http://testserver")

        page = client.get(reverse("checkout")).content.decode()

        assert 'value="3 quai Voltaire"' in page


class TestFavourites:
    def test_the_heart_keeps_and_drops_a_product_without_javascript(self, client, product):
        camille = buyer()
        client.force_login(camille)
        page_url = product.pages.get(locale__language_code="fr").url

        response = client.post(reverse("account_favourite_toggle"), {"product": product.pk, "favourite": "1", "next": page_url})
        assert response.status_code == 302 and response["Location"] == page_url
        assert Favourite.objects.filter(user=camille, product=product).exists()
        favourites = client.get("/fr" + reverse("account_favourites")[3:]).content.decode()
        assert "Taznakht rug (fr)" in favourites and 'aria-pressed="true"' in favourites

        client.post(reverse("account_favourite_toggle"), {"product": product.pk, "favourite": "0", "next": "https://evil.example/"})
        assert not Favourite.objects.exists()

    def test_the_product_page_offers_the_heart_as_a_form_to_a_buyer_and_a_sign_in_link_to_a_visitor(self, client, product):
        url = product.pages.get(locale__language_code="en").url
        anonymous = client.get(url).content.decode()
        client.force_login(buyer())
        signed_in = client.get(url).content.decode()

        assert f'{reverse("account_login")}?next=' in anonymous and "csrfmiddlewaretoken" not in anonymous
        assert reverse("account_favourite_toggle") in signed_in and "csrfmiddlewaretoken" in signed_in

    def test_listing_cards_carry_each_visitors_own_hearts_and_prices(self, client, product, tree):
        from search.services import listing_index_update

        other = product_create(seller_pages(tree), title="Safi plate", craft="1.03.02", price="200.00")
        listing_index_update([page.pk for item in (product, other) for page in item.pages.all()])
        camille = buyer()
        Favourite.objects.create(user=camille, product=product)

        anonymous = client.get("/en/search/?q=plate").content.decode()
        assert anonymous.count(f'{reverse("account_login")}?next=/en/search/%3Fq%3Dplate') == 1
        client.cookies["currency"] = "EUR"
        euros = client.get("/en/search/").content.decode()
        client.cookies.pop("currency")
        dirhams = client.get("/en/search/").content.decode()
        assert "€" in euros and "€" not in dirhams and "?next=/en/search/" in dirhams
        client.force_login(camille)
        signed_in = client.get("/en/search/").content.decode()
        assert signed_in.count('aria-pressed="true"') == 1 and signed_in.count('aria-pressed="false"') == 1
        assert signed_in.count("csrfmiddlewaretoken") >= 2

    def test_an_unknown_product_is_not_found(self, client):
        client.force_login(buyer())
        for value in ("999999", "x", "", "9" * 40):
            assert client.post(reverse("account_favourite_toggle"), {"product": value, "favourite": "1"}).status_code == 404


class TestGuestOrdersAttached:
    def test_verifying_the_email_brings_the_guest_orders_placed_with_it(self, client, product):
        guest_order = order_for((product, 1), email="Camille@Example.fr")
        someone_elses = order_for((product, 1), email="someone@example.fr")
        camille = buyer(verified=False)
        address = EmailAddress.objects.get(user=camille)

        client.post(reverse("account_confirm_email", args=[EmailConfirmationHMAC(address).key]))

        assert Order.objects.get(pk=guest_order.pk).user == camille
        assert Order.objects.get(pk=someone_elses.pk).user is None
        client.force_login(camille)
        assert guest_order.reference in client.get(reverse("account_orders")).content.decode()

    def test_an_unverified_address_brings_nothing(self, client, product):
        guest_order = order_for((product, 1), email="camille@example.fr")
        camille = buyer(verified=False)
        client.force_login(camille)

        assert guest_order.reference not in client.get(reverse("account_orders")).content.decode()
        assert Order.objects.get(pk=guest_order.pk).user is None

    def test_an_order_already_on_an_account_stays_there(self, product):
        owner = buyer("owner")
        order = order_for((product, 1), email="camille@example.fr", user=owner)

        assert orders_attach_to_user(user=buyer(), email="camille@example.fr") == 0
        assert Order.objects.get(pk=order.pk).user == owner


class TestDataExport:
    def test_the_download_holds_the_account_its_addresses_favourites_and_orders(self, client, product):
        camille = buyer()
        SavedAddress.objects.create(user=camille, **ADDRESS)
        Favourite.objects.create(user=camille, product=product)
        order = order_for((product, 2), email=camille.email, user=camille)
        client.force_login(camille)

        response = client.get(reverse("account_data_export"))
        data = json.loads(response.content)

        assert response["Content-Disposition"].startswith("attachment;")
        assert data["account"]["email"] == "camille@example.fr"
        assert data["saved_addresses"][0]["city"] == "Paris"
        assert data["favourites"] == [{"product_id": product.pk, "saved_at": data["favourites"][0]["saved_at"]}]
        assert data["orders"][0]["reference"] == order.reference and data["orders"][0]["lines"][0]["quantity"] == 2
        assert "password" not in response.content.decode()


class TestDeletion:
    def test_a_wrong_password_deletes_nothing(self, client):
        camille = buyer()
        client.force_login(camille)
        response = client.post(reverse("account_delete"), {"password": "not-it"})
        assert response.status_code == 200 and get_user_model().objects.filter(pk=camille.pk).exists()

    def test_the_account_goes_and_its_orders_stay_detached(self, client, product):
        camille = buyer()
        SavedAddress.objects.create(user=camille, **ADDRESS)
        Favourite.objects.create(user=camille, product=product)
        order = order_for((product, 1), email=camille.email, user=camille)
        client.force_login(camille)

        response = client.post(reverse("account_delete"), {"password": PASSWORD})

        assert response.status_code == 302 and "_auth_user_id" not in client.session
        assert not get_user_model().objects.filter(pk=camille.pk).exists()
        assert not SavedAddress.objects.exists() and not Favourite.objects.exists()
        assert not EmailAddress.objects.filter(email="camille@example.fr").exists()
        kept = Order.objects.get(pk=order.pk)
        assert kept.user is None and kept.email == "camille@example.fr"

    def test_a_sellers_member_cannot_delete_its_account_here(self):
        member = SellerMemberFactory()
        with pytest.raises(ValidationError):
            account_delete(user=member.user, password=PASSWORD)
        assert get_user_model().objects.filter(pk=member.user.pk).exists()
