"""Property: for any quantities a trade buyer orders, the order's goods are the sum of each line at the tier
its quantity reaches, and no order is placed with a seller's part under that seller's minimum."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog.models import Product, ProductPriceTier
from marketplace.orders.models import Order
from tests.factories.catalog import eu_offer_ready, product_create, seller_pages
from tests.factories.orders import europe_zone, order_for
from tests.factories.sellers import SellerFactory
from tests.factories.trade import trade_buyer_create

pytestmark = pytest.mark.django_db

TIERS = {1: Decimal("100.00"), 12: Decimal("90.00"), 48: Decimal("80.00")}
MINIMUM = Decimal("1500.00")
CASE = 3


def tier_price(quantity: int) -> Decimal:
    return TIERS[max(start for start in TIERS if start <= quantity)]


@pytest.fixture
def shop(tree):
    europe_zone()
    pages = seller_pages(tree, SellerFactory(first_order_minimum=MINIMUM))
    products = []
    for title in ("Bowl", "Plate"):
        product = product_create(pages, title=title, stock=0, made_to_order=True, lead_time_days=10,
                                 craft="1.03.02", hs_code="6912.00")
        eu_offer_ready(product)
        Product.objects.filter(pk=product.pk).update(case_pack=CASE, weight_grams=10)
        ProductPriceTier.objects.bulk_create(ProductPriceTier(product=product, min_quantity=start, unit_price=price)
                                             for start, price in TIERS.items())
        products.append(Product.objects.get(pk=product.pk))
    return products, trade_buyer_create()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cases=st.lists(st.integers(min_value=1, max_value=30), min_size=1, max_size=2))
def test_an_order_is_priced_at_each_lines_tier_and_never_under_the_minimum(shop, cases):
    products, buyer = shop
    lines = [(product, count * CASE) for product, count in zip(products, cases, strict=False)]
    expected = sum((tier_price(quantity) * quantity for _product, quantity in lines), Decimal(0))
    before = Order.objects.count()
    if expected < MINIMUM:
        with pytest.raises(ValidationError) as refused:
            order_for(*lines, user=buyer, currency="MAD")
        assert refused.value.error_list[0].code == "below_seller_minimum"
        assert Order.objects.count() == before
    else:
        order = order_for(*lines, user=buyer, currency="MAD")
        assert order.subtotal_base == expected
        assert all(line.unit_price_base == tier_price(line.quantity) for line in order.lines.all())
