"""Shipping quotes: each seller ships its own part, the quote sums the parts; unserved destinations
get a clear message; made-to-order lines move the dispatch date."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from marketplace.shipping.models import ShippingRate, ShippingZone
from marketplace.shipping.services import QuoteLine, shipping_quote
from tests.factories.catalog import product_create, seller_pages
from tests.factories.sellers import SellerFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 24)


@pytest.fixture
def europe(db):
    zone = ShippingZone(name="Europe", countries="fr, BE de", transit_days=6)
    zone.full_clean()
    zone.rates = [ShippingRate(max_weight_grams=2000, price=Decimal("150")),
                  ShippingRate(max_weight_grams=5000, price=Decimal("250")),
                  ShippingRate(max_weight_grams=10000, price=Decimal("400"))]
    zone.save()
    return zone


@pytest.fixture
def basket(tree):
    rug = product_create(seller_pages(tree, SellerFactory()), title="Rug")  # 3,000 g
    plate = product_create(seller_pages(tree, SellerFactory()), title="Plate", craft="1.03.02", hs_code="6912.00")
    plate.weight_grams = 1000
    plate.save()
    return rug, plate


def test_a_basket_across_two_sellers_is_two_parcels_whose_prices_add_up(europe, basket):
    rug, plate = basket
    quote = shipping_quote([QuoteLine(rug, 2), QuoteLine(plate, 1)], "fr", today=TODAY)
    assert [(part.seller, part.weight_grams, part.price) for part in quote.parts] == [
        (rug.seller, 6000, Decimal("400")), (plate.seller, 1000, Decimal("150"))]
    assert quote.total == Decimal("550") and quote.country == "FR"
    assert quote.delivery_by == TODAY + timedelta(days=1 + 6)


def test_a_part_heavier_than_the_heaviest_band_goes_in_several_parcels(europe, basket):
    rug, _plate = basket
    part = shipping_quote([QuoteLine(rug, 8)], "DE", today=TODAY).parts[0]  # 24,000 g
    assert (part.parcels, part.price) == (3, Decimal("400") * 2 + Decimal("250"))


def test_an_unserved_destination_gets_a_clear_message(europe, basket):
    with pytest.raises(ValidationError) as error:
        shipping_quote([QuoteLine(basket[0], 1)], "JP")
    assert error.value.code == "not_served" and "JP" in error.value.messages[0]


def test_made_to_order_lines_set_the_dispatch_date(europe, tree):
    tagine = product_create(seller_pages(tree, SellerFactory()), title="Tagine", made_to_order=True, lead_time_days=20,
                            stock=0)
    quote = shipping_quote([QuoteLine(tagine, 1)], "BE", today=TODAY)
    assert quote.parts[0].dispatch_by == TODAY + timedelta(days=20)
    assert quote.delivery_by == TODAY + timedelta(days=26)


def test_zones_take_known_countries_once(europe):
    assert europe.country_list == ["BE", "DE", "FR"]
    with pytest.raises(ValidationError, match="Unknown country codes: XX"):
        ShippingZone(name="Typos", countries="XX, ES").full_clean()
    with pytest.raises(ValidationError, match="Already in another zone: FR"):
        ShippingZone(name="France", countries="FR").full_clean()


@pytest.mark.parametrize("quantities, weeks", [((1,), 1), ((50,), 1), ((51,), 2), ((30, 30), 2), ((300,), 6)])
def test_made_to_order_lead_times_grow_with_quantity_by_the_sellers_weekly_capacity(europe, tree, quantities, weeks):
    seller = SellerFactory(made_to_order_capacity=50)
    pages = seller_pages(tree, seller)
    lines = [QuoteLine(product_create(pages, title=f"Tagine {index}", made_to_order=True, lead_time_days=20, stock=0),
                       quantity) for index, quantity in enumerate(quantities)]
    quote = shipping_quote(lines, "FR", today=TODAY)
    assert quote.parts[0].dispatch_by == TODAY + timedelta(days=20 + 7 * weeks)


def test_without_a_capacity_the_lead_time_does_not_depend_on_quantity(europe, tree):
    tagine = product_create(seller_pages(tree, SellerFactory()), title="Tagine", made_to_order=True, lead_time_days=20,
                            stock=0)
    assert shipping_quote([QuoteLine(tagine, 500)], "FR", today=TODAY).parts[0].dispatch_by == TODAY + timedelta(days=20)
