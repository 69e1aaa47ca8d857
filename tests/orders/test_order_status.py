"""The buyer's order headline follows its parts once paid: shipped when every part still going has left,
delivered when every one has arrived; partly so before that."""

from decimal import Decimal

import pytest

from marketplace.orders.models import Order, SellerOrder
from marketplace.orders.selectors import order_headline_status, order_url
from marketplace.orders.services import order_paid
from tests.factories.catalog import product_create, seller_pages
from tests.factories.orders import europe_zone, order_for
from tests.factories.sellers import SellerFactory

S = SellerOrder.Status


def headline(*statuses, order_status=Order.Status.PAID, received=Decimal(0)):
    order = Order(status=order_status, received=received, total=Decimal(100))
    return order_headline_status(order, [SellerOrder(status=status) for status in statuses]).code


class TestFromTheParts:
    def test_paid_while_no_part_has_left(self):
        assert headline(S.AWAITING_ACCEPTANCE, S.ACCEPTED) == "paid"
        assert headline() == "paid"  # not routed yet

    def test_shipped_when_every_part_has_left(self):
        assert headline(S.SHIPPED, S.SHIPPED) == "shipped"
        assert headline(S.SHIPPED, S.DELIVERED) == "shipped"

    def test_delivered_when_every_part_has_arrived(self):
        assert headline(S.DELIVERED, S.DELIVERED) == "delivered"

    def test_declined_or_cancelled_parts_do_not_hold_the_others_back(self):
        assert headline(S.DELIVERED, S.DECLINED) == "delivered"
        assert headline(S.SHIPPED, S.CANCELLED) == "shipped"

    def test_partly_shipped_or_delivered_while_others_are_being_prepared(self):
        assert headline(S.SHIPPED, S.PACKED) == "partly_shipped"
        assert headline(S.DELIVERED, S.ACCEPTED) == "partly_delivered"

    def test_an_order_not_paid_keeps_its_own_status(self):
        assert headline(order_status=Order.Status.AWAITING_PAYMENT) == "awaiting_payment"
        assert headline(order_status=Order.Status.AWAITING_PAYMENT, received=Decimal(20)) == "partly_paid"
        assert headline(S.DELIVERED, order_status=Order.Status.REFUNDED) == "refunded"


@pytest.mark.django_db
def test_the_order_page_headline_says_shipped_then_delivered(tree, client):
    europe_zone()
    rug = product_create(seller_pages(tree, SellerFactory(legal_name="Tazenakht")), title="Rug", stock=3)
    plate = product_create(seller_pages(tree, SellerFactory(legal_name="Safi")), title="Plate", stock=3)
    order = order_for((rug, 1), (plate, 1))
    order_paid(order=order, amount=order.total, currency=order.currency)
    page = order_url(order)
    assert 'data-order-status="paid"' in client.get(page).content.decode()
    first, second = order.seller_orders.order_by("reference")
    SellerOrder.objects.filter(pk=first.pk).update(status=S.SHIPPED)
    assert 'data-order-status="partly_shipped"' in client.get(page).content.decode()
    SellerOrder.objects.filter(pk=second.pk).update(status=S.SHIPPED)
    html = client.get(page).content.decode()
    assert 'data-order-status="shipped"' in html and "<strong>Shipped</strong>" in html
    order.seller_orders.update(status=S.DELIVERED)
    assert 'data-order-status="delivered"' in client.get(page).content.decode()
