"""Checkout shows the landed cost before paying: each duty and tax, collected now or due on delivery,
the total to pay now, the buyer's choice of DDP or DAP, and the right of withdrawal or the sellers'
return policies."""

import pytest
from django.urls import reverse

from catalog.models import Product
from customs.services import duty_rates_refresh, sample_rules_load
from marketplace.orders.models import Order
from tests.checkout.test_checkout_views import ADDRESS, add, place
from tests.factories.catalog import eu_offer_ready, product_create, seller_pages
from tests.factories.orders import europe_zone, world_zone
from tests.factories.sellers import SellerFactory

pytestmark = pytest.mark.django_db

TORONTO = {**ADDRESS, "name": "Alex Tremblay", "line1": "100 Queen St W", "city": "Toronto", "region": "ON",
           "postal_code": "M5H 2N2", "country": "CA"}


@pytest.fixture
def products(tree):
    sample_rules_load()
    duty_rates_refresh()
    europe_zone()
    world_zone()
    rug = product_create(seller_pages(tree, SellerFactory(legal_name="Coopérative Tazenakht", return_policy="30 days, buyer pays return shipping.")),
                         title="Rug", price="1000", stock=3)
    lamp = product_create(seller_pages(tree, SellerFactory(legal_name="Dinanderie Fès")), title="Lamp",
                          craft="1.05.01", hs_code="9405.11", price="2500", stock=3)
    eu_offer_ready(rug, lamp)
    return {"rug": rug, "lamp": lamp}


def review(client, **changes):
    response = client.post(reverse("checkout"), {**ADDRESS, **changes})
    assert response.status_code == 302, response.content.decode()[:2000]
    return client.get(reverse("checkout_review")).content.decode()


def test_the_review_shows_vat_collected_now_and_the_dap_estimate_and_the_order_keeps_the_same(client, products):
    add(client, products["rug"])
    add(client, products["lamp"])
    html = review(client, incoterm="DAP")
    assert "VAT 20 %" in html and "collected now" in html and "estimated, due on delivery" in html
    assert "Import One-Stop Shop" in html and "Total to pay now" in html
    assert place(client).status_code == 302
    order = Order.objects.get()
    assert order.incoterm == "DAP" and order.charges_collected > 0 and order.charges_due > 0
    page = client.get(reverse("order_detail", args=[order.reference, order.access_token])).content.decode()
    assert "VAT 20 %" in page and "estimated, due on delivery" in page


def test_choosing_ddp_puts_every_charge_in_the_total(client, products):
    add(client, products["lamp"])
    html = review(client, incoterm="DDP")
    assert "estimated, due on delivery" not in html and "collected now" in html
    place(client)
    order = Order.objects.get()
    assert order.charges_due == 0 and order.total == order.subtotal + order.shipping + order.charges_collected


def test_a_hostile_incoterm_is_refused_with_a_message_and_nothing_placed(client, products):
    add(client, products["rug"])
    response = client.post(reverse("checkout"), {**ADDRESS, "incoterm": "EXW<script>"})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert Order.objects.count() == 0


def test_eu_buyers_are_told_of_the_14_days_and_of_made_to_order_exceptions(client, products):
    Product.objects.filter(pk=products["lamp"].pk).update(made_to_order=True, lead_time_days=10)
    add(client, products["rug"])
    add(client, products["lamp"])
    html = review(client)
    assert "within 14 days of delivery" in html and "data-withdrawal-excepted" in html


def test_buyers_outside_get_the_sellers_own_return_policy(client, products):
    add(client, products["rug"])
    html = review(client, **{k: v for k, v in TORONTO.items() if k != "email"})
    assert "within 14 days" not in html and "30 days, buyer pays return shipping." in html
    assert "GST 5 %" in html


BERLIN = {**ADDRESS, "name": "Jonas Weber", "line1": "Unter den Linden 1", "city": "Berlin", "postal_code": "10117",
          "country": "DE"}


def test_a_product_without_safety_information_cannot_be_bought_for_germany_but_ships_to_canada(
        client, tree, products):
    bare = product_create(seller_pages(tree, SellerFactory(legal_name="Atelier sans adresse")), title="Bare rug",
                          price="900", stock=3)
    add(client, bare)
    response = client.post(reverse("checkout"), BERLIN)
    html = response.content.decode()
    assert response.status_code == 200 and "product-safety information EU law requires" in html
    assert "the manufacturer&#x27;s postal address" in html or "the manufacturer's postal address" in html
    basket = client.get(reverse("basket") + "?country=DE").content.decode()
    assert "product-safety information EU law requires" in basket
    assert Order.objects.count() == 0
    response = client.post(reverse("checkout"), TORONTO)
    assert response.status_code == 302
    place(client)
    assert Order.objects.get().ship_country == "CA"
