"""A verified trade buyer's basket and checkout: whole cases (a quantity off the case is refused with the
nearest valid quantities, never rounded), the tier each line reached and the next tier's saving, and a
seller's part under its minimum shown with its shortfall and kept from checkout until it is met."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from catalog.models import Product, ProductPriceTier
from customs.services import duty_rates_refresh, sample_rules_load
from marketplace.basket.models import BasketLine
from marketplace.orders.models import Order
from tests.checkout.test_checkout_views import ADDRESS, ORIGIN, review_attempt
from tests.factories.catalog import eu_offer_ready, product_create, seller_pages
from tests.factories.orders import europe_zone
from tests.factories.sellers import SellerFactory
from tests.factories.trade import trade_buyer_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def plate(tree):
    sample_rules_load()
    duty_rates_refresh()
    europe_zone()
    seller = SellerFactory(legal_name="Poterie de Safi", first_order_minimum=Decimal("1200.00"))
    product = product_create(seller_pages(tree, seller), title="Plate", craft="1.03.02", hs_code="6912.00",
                             price="120.00", stock=500)
    eu_offer_ready(product)
    Product.objects.filter(pk=product.pk).update(case_pack=6, weight_grams=50)
    ProductPriceTier.objects.create(product=product, min_quantity=1, unit_price=Decimal("100.00"))
    ProductPriceTier.objects.create(product=product, min_quantity=12, unit_price=Decimal("90.00"))
    return Product.objects.get(pk=product.pk)


@pytest.fixture
def trader(client):
    client.force_login(trade_buyer_create())
    client.cookies["currency"] = "MAD"
    return client


def add(client, product, quantity):
    return client.post(reverse("basket_add"), {"product": product.pk, "quantity": quantity}, **ORIGIN)


def basket_html(client) -> str:
    return re.sub(r"\s+", " ", client.get(reverse("basket")).content.decode().replace("\xa0", " "))


def test_a_quantity_off_the_case_is_refused_with_the_nearest_valid_quantities(trader, plate):
    response = add(trader, plate, 8)
    assert response.status_code == 302
    assert "Sold by cases of 6: order 6 or 12." in basket_html(trader)
    assert not BasketLine.objects.exists()  # never rounded to a case


def test_the_basket_shows_the_tier_reached_and_what_the_next_would_save_with_case_steps(trader, plate):
    add(trader, plate, 6)
    assert BasketLine.objects.get().quantity == 6
    html = basket_html(trader)
    assert "Wholesale price from 1 units." in html
    assert "6 more and each costs MAD 90.00 (you save MAD 10.00 a unit)." in html
    assert 'step="6"' in html and "Sold by cases of 6." in html


def test_a_part_under_the_minimum_shows_the_shortfall_and_cannot_be_checked_out(trader, plate):
    add(trader, plate, 6)  # 6 × 100 = 600 of a 1,200 minimum
    html = basket_html(trader)
    assert "Poterie de Safi: first order from MAD 1,200.00." in html and "Add MAD 600.00" in html
    assert 'href="/en/checkout/"' not in html and reverse("checkout") not in html
    trader.post(reverse("checkout"), ADDRESS)
    response = trader.get(reverse("checkout_review"))
    assert response.status_code == 302 and response["Location"] == reverse("basket")
    assert not Order.objects.exists()


def test_once_the_minimum_is_met_the_trade_buyer_checks_out_at_the_tier_price(trader, plate):
    add(trader, plate, 6)
    add(trader, plate, 6)  # 12 × 90 = 1,080: still short
    assert "Add MAD 120.00" in basket_html(trader)
    trader.post(reverse("basket_update"), {"product": plate.pk, "quantity": 18})  # 18 × 90 = 1,620
    html = basket_html(trader)
    assert "Reached." in html and reverse("checkout") in html
    response = trader.post(reverse("checkout"), {**ADDRESS, "incoterm": "DDP"})
    assert response.status_code == 302 and response["Location"] == reverse("checkout_review")
    trader.post(reverse("checkout_review"), {"attempt": review_attempt(trader)})
    order = Order.objects.get()
    assert order.subtotal_base == Decimal("1620.00") and order.reverse_charge


def test_a_retail_visitor_adds_any_quantity_at_the_retail_price(client, plate):
    add(client, plate, 7)
    html = basket_html(client)
    assert "MAD 840.00" in html  # 7 × 120
    assert "Sold by cases" not in html and "first order from" not in html and "Wholesale" not in html
    assert 'step="1"' in html


def test_the_quantity_input_steps_from_a_whole_case_so_the_browser_accepts_every_case(trader, plate):
    # A browser counts an input's steps from its min: min 1 and step 6 would accept 7 and refuse 12.
    add(trader, plate, 6)
    html = basket_html(trader)
    field = re.search(rf'<input id="quantity-{plate.pk}"[^>]*>', html).group(0)
    assert 'min="6"' in field and 'step="6"' in field
