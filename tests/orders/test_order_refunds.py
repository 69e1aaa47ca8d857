"""Refunds the payment provider reports for a whole order or part of it: a full refund cancels every
open seller part (stock back where it had not shipped, the seller told, the audit log written); a
partial one is recorded against the parts; payouts never include refunded goods."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.urls import reverse
from wagtail.models import ModelLogEntry

from catalog.models import Product
from marketplace.orders.models import Order, SellerOrder
from marketplace.orders.selectors import order_url
from marketplace.orders.services import (
    actions_open,
    order_paid,
    order_refund_record,
    seller_order_decline,
    seller_order_refund_record,
)
from marketplace.payouts.models import SellerPayout
from marketplace.payouts.services import payout_mark_paid, payout_record
from sellers.roles import CHAMBER_STAFF_GROUP
from tests.factories.catalog import product_create, seller_pages
from tests.factories.orders import europe_zone, order_for
from tests.factories.sellers import SellerFactory, SellerMemberFactory, UserFactory

pytestmark = pytest.mark.django_db
Status = SellerOrder.Status


@pytest.fixture
def shop(tree):
    europe_zone()
    return [product_create(seller_pages(tree, SellerFactory(legal_name=f"Seller {n}")), title=f"Item {n}",
                           price="100", stock=10) for n in range(4)]


def paid_order(*products, quantity=1) -> tuple[Order, list[SellerOrder]]:
    order = order_for(*((product, quantity) for product in products))
    assert order_paid(order=order, amount=order.total, currency=order.currency) == "paid"
    order.refresh_from_db()
    return order, list(order.seller_orders.order_by("reference"))


def move(part: SellerOrder, status, **fields) -> SellerOrder:
    SellerOrder.objects.filter(pk=part.pk).update(status=status, **fields)
    part.refresh_from_db()
    return part


def stock(product) -> int:
    return Product.objects.get(pk=product.pk).stock


@pytest.fixture
def staff():
    user = UserFactory(username="chamber")
    user.groups.add(Group.objects.get(name=CHAMBER_STAFF_GROUP))
    return user


class TestWholeOrderRefund:
    def test_every_open_part_is_cancelled_its_unshipped_stock_returned_and_its_seller_told(
            self, shop, django_capture_on_commit_callbacks):
        order, (waiting, accepted, packed, shipped) = paid_order(*shop, quantity=2)
        move(accepted, Status.ACCEPTED)
        move(packed, Status.PACKED)
        move(shipped, Status.SHIPPED, shipped_at=order.paid_at)
        assert [stock(product) for product in shop] == [8, 8, 8, 8]
        mail.outbox.clear()

        with django_capture_on_commit_callbacks(execute=True):
            outcome = order_refund_record(order=order, refunded_total=order.total, currency=order.currency)

        assert outcome == "refund recorded: 4 part(s) cancelled"
        order.refresh_from_db()
        assert order.status == Order.Status.REFUNDED
        parts = list(order.seller_orders.order_by("reference"))
        assert [part.status for part in parts] == [Status.CANCELLED] * 4
        assert all(part.cancelled_at and part.refunded == part.total for part in parts)
        assert [stock(product) for product in shop] == [10, 10, 10, 8]  # the shipped rugs are on their way
        told = sorted(message.to[0] for message in mail.outbox)
        assert told == sorted(part.seller.email for part in parts)
        assert all("cancelled" in message.subject for message in mail.outbox)
        for part in parts:
            assert ModelLogEntry.objects.filter(action="marketplace.seller_order_cancel",
                                                object_id=str(part.pk)).count() == 1
        # A repeated event changes nothing more.
        assert order_refund_record(order=order, refunded_total=order.total, currency=order.currency) == \
            "already recorded"
        assert [stock(product) for product in shop] == [10, 10, 10, 8]

    def test_a_delivered_parts_unpaid_payout_is_cancelled_and_a_declined_part_is_left_alone(self, shop, staff):
        order, (delivered, declined) = paid_order(*shop[:2])
        delivered = move(delivered, Status.DELIVERED, delivered_at=order.paid_at)
        payout = payout_record(seller_order=delivered)
        assert payout.amount > 0
        member = SellerMemberFactory(seller=declined.seller).user
        declined = seller_order_decline(seller_order=declined, by=member, reason="Out of wool")
        seller_order_refund_record(seller_order=declined, by=staff, reference="RET-1")  # offline: by transfer
        order.refresh_from_db()
        assert order.refunded == declined.total

        order_refund_record(order=order, refunded_total=order.total, currency=order.currency)

        delivered.refresh_from_db()
        declined.refresh_from_db()
        payout.refresh_from_db()
        assert delivered.status == Status.DELIVERED and delivered.refunded == delivered.total
        assert declined.status == Status.DECLINED
        assert payout.status == SellerPayout.Status.CANCELLED and payout.amount == 0
        assert ModelLogEntry.objects.filter(action="marketplace.payout_reduced", object_id=str(payout.pk)).exists()

    def test_a_payout_already_paid_is_flagged_for_staff_not_changed(self, shop, staff):
        order, [part] = paid_order(shop[0])
        part = move(part, Status.DELIVERED, delivered_at=order.paid_at)
        payout = payout_mark_paid(payout=payout_record(seller_order=part), by=staff, reference="VIR-1")
        amount = payout.amount

        order_refund_record(order=order, refunded_total=order.total, currency=order.currency)

        payout.refresh_from_db()
        assert (payout.status, payout.amount) == (SellerPayout.Status.PAID, amount)
        assert "recover it from the seller" in payout.error

    def test_nobody_cancels_a_part_by_hand(self, shop, staff):
        _order, [part] = paid_order(shop[0])
        member = SellerMemberFactory(seller=part.seller).user
        superuser = UserFactory(username="root", is_superuser=True, is_staff=True)
        for user in (member, staff, superuser):
            assert "cancel" not in actions_open(user, part)


class TestPartialRefund:
    def test_a_refund_naming_no_part_is_shared_among_the_open_parts_by_what_is_left_of_them(self, shop):
        order, parts = paid_order(shop[0], shop[1])
        order_refund_record(order=order, refunded_total=Decimal("50.00"), currency=order.currency)
        order.refresh_from_db()
        assert order.status == Order.Status.PAID
        refunded = [part.refunded for part in order.seller_orders.order_by("reference")]
        assert sum(refunded) == Decimal("50.00")
        assert all(share > 0 for share in refunded)  # equal parts: each takes its half, give or take a cent
        assert abs(refunded[0] - refunded[1]) <= Decimal("0.01")
        assert [part.status for part in order.seller_orders.all()] == [Status.AWAITING_ACCEPTANCE] * 2

    def test_the_part_of_a_declined_refund_is_not_counted_twice(self, shop, staff):
        order, (kept, declined) = paid_order(shop[0], shop[1])
        member = SellerMemberFactory(seller=declined.seller).user
        declined = seller_order_decline(seller_order=declined, by=member, reason="Broken")
        seller_order_refund_record(seller_order=declined, by=staff, reference="RET-2")
        kept.refresh_from_db()
        assert kept.refunded == 0

    def test_a_delivered_parts_payout_excludes_the_refunded_share(self, shop):
        order, [part] = paid_order(shop[0], quantity=2)
        part = move(part, Status.DELIVERED, delivered_at=order.paid_at)
        full = payout_record(seller_order=part)
        owed_before = full.amount

        order_refund_record(order=order, refunded_total=part.total / 2, currency=order.currency)

        full.refresh_from_db()
        assert full.status == SellerPayout.Status.OWED
        assert full.amount == pytest.approx(owed_before / 2, abs=Decimal("0.02"))
        assert full.products == part.subtotal_base / 2

    def test_a_payout_recorded_after_a_partial_refund_excludes_it(self, shop):
        order, [part] = paid_order(shop[0], quantity=2)
        quarter = (part.total / 4).quantize(Decimal("0.01"))
        order_refund_record(order=order, refunded_total=quarter, currency=order.currency)
        part.refresh_from_db()
        assert part.refunded == quarter
        part = move(part, Status.DELIVERED, delivered_at=order.paid_at)
        payout = payout_record(seller_order=part)
        kept = 1 - quarter / part.total
        assert payout.products == (part.subtotal_base * kept).quantize(Decimal("0.01"))
        assert payout.shipping == (part.shipping_base * kept).quantize(Decimal("0.01"))
        assert payout.products < part.subtotal_base


class TestCancelledPartsShown:
    def test_the_buyer_and_the_sellers_member_see_the_cancelled_part(self, client, shop):
        order, [part] = paid_order(shop[0])
        order_refund_record(order=order, refunded_total=order.total, currency=order.currency)
        html = client.get(order_url(order)).content.decode()
        assert "Cancelled: the order was refunded" in html
        member = SellerMemberFactory(seller=part.seller).user
        member.user_permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin",
                                                           codename="access_admin"))
        client.force_login(member)
        response = client.get(reverse("seller_orders:inspect", args=[part.pk]))
        assert response.status_code == 200 and "cancelled: order refunded" in response.content.decode().lower()
        assert client.get(reverse("seller_orders:act", args=[part.pk, "cancel"])).status_code in (403, 404, 405)
