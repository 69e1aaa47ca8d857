"""A paid order is split once into one part per seller: the parts add up to the order and each line is
in exactly one part, whatever the basket; repeated payment events never split it again."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marketplace.orders.models import Order, OrderLine, SellerOrder
from marketplace.orders.services import order_paid, order_split
from tests.factories.catalog import product_create, seller_pages
from tests.factories.orders import europe_zone, order_for
from tests.factories.sellers import SellerFactory

pytestmark = pytest.mark.django_db
CURRENCIES = ["MAD", "EUR", "USD", "GBP", "CAD", "XAF"]


@pytest.fixture
def pool(tree):
    """Three sellers, two products each, one of them made to order."""
    europe_zone()
    products = []
    for number in range(3):
        pages = seller_pages(tree, SellerFactory(legal_name=f"Seller {number}"))
        products.append(product_create(pages, title=f"Rug {number}", price=f"{1000 + 37 * number}.45", stock=100_000))
        products.append(product_create(pages, title=f"Plate {number}", craft="1.03.02", hs_code="6912.00",
                                       price=f"{99 + number}.99", stock=0, made_to_order=True, lead_time_days=10))
    return products


def paid(order):
    assert order_paid(order=order, amount=order.total, currency=order.currency) == "paid"
    order.refresh_from_db()
    return order


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(quantities=st.lists(st.integers(min_value=0, max_value=4), min_size=6, max_size=6).filter(any),
       currency=st.sampled_from(CURRENCIES))
def test_the_parts_sum_to_the_order_and_each_line_is_in_exactly_one_part(pool, quantities, currency):
    order = paid(order_for(*[(product, quantity) for product, quantity in zip(pool, quantities, strict=True)
                             if quantity], currency=currency))
    parts = list(order.seller_orders.all())
    assert len(parts) == len({line.seller_id for line in order.lines.all()})
    assert sum(part.total for part in parts) == order.total
    assert sum(part.subtotal for part in parts) == order.subtotal
    assert sum(part.shipping for part in parts) == order.shipping
    assert sum(part.total_base for part in parts) == order.total_base
    lines = list(order.lines.all())
    assert all(line.seller_order_id is not None for line in lines)
    for part in parts:
        assert {line.seller_id for line in lines if line.seller_order_id == part.pk} == {part.seller_id}
        assert part.subtotal == sum(line.line_total for line in lines if line.seller_order_id == part.pk)


class TestRouting:
    def test_each_seller_gets_its_part_with_a_deadline_and_an_email(self, pool, settings,
                                                                     django_capture_on_commit_callbacks):
        settings.SELLER_ORDER_ACCEPT_HOURS = 36
        order = order_for((pool[0], 1), (pool[2], 2), (pool[3], 1))
        now = timezone.now()
        with django_capture_on_commit_callbacks(execute=True):
            order_paid(order=order, amount=order.total, currency=order.currency, now=now)
        parts = list(order.seller_orders.order_by("reference"))
        assert [part.reference for part in parts] == [f"{order.reference}-1", f"{order.reference}-2"]
        assert all(part.status == SellerOrder.Status.AWAITING_ACCEPTANCE for part in parts)
        assert all(part.accept_by == now + timedelta(hours=36) for part in parts)
        seller_mails = [message for message in mail.outbox if message.to[0] in {pool[0].seller.email,
                                                                                  pool[2].seller.email}]
        assert len(seller_mails) == 2 and all(part.reference in " ".join(m.subject for m in seller_mails)
                                               for part in parts)

    def test_a_repeated_payment_or_split_does_not_split_twice(self, pool):
        order = paid(order_for((pool[0], 1), (pool[2], 1)))
        first = {part.pk for part in order.seller_orders.all()}
        assert order_paid(order=order, amount=order.total, currency=order.currency) == "already paid"
        assert {part.pk for part in order_split(order=order)} == first
        assert SellerOrder.objects.count() == 2

    def test_an_unpaid_order_is_not_routed(self, pool):
        order = order_for((pool[0], 1))
        with pytest.raises(ValidationError, match="paid"):
            order_split(order=order)
        assert not SellerOrder.objects.exists() and not OrderLine.objects.filter(seller_order__isnull=False).exists()

    def test_a_partly_refunded_order_is_still_routed_when_paid(self, pool):
        order = order_for((pool[0], 1))
        Order.objects.filter(pk=order.pk).update(refunded=Decimal("1"))
        order.refresh_from_db()
        paid(order)
        assert order.seller_orders.count() == 1
