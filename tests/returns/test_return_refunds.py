"""A return's refund: through the payment provider once, whatever it answers (a timeout keeps the
idempotency key, a refusal moves to a new one); never more than what was paid, with the stock
conserved (a property test); and the seller's payout: reduced if not paid yet, clawed back from the
next payouts if it was, never into a negative transfer."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog.models import Product
from marketplace.orders.models import RefundState, SellerOrder
from marketplace.payments.models import Payment
from marketplace.payouts.models import SellerPayout, SellerPayoutClawback
from marketplace.payouts.services import payout_mark_paid, payout_record
from marketplace.returns.models import ReturnRequest
from marketplace.returns.services import (
    return_authorise,
    return_cancel,
    return_receive,
    return_refund_record,
    return_refund_retry,
    return_refund_send,
    return_refuse,
    return_request_create,
    return_send,
)

from .conftest import NEW_YORK, delivered_by_card, delivered_order

pytestmark = pytest.mark.django_db
Status = ReturnRequest.Status


def refunds_of(stripe_api, order) -> list[dict]:
    intent = Payment.objects.get(order=order, status=Payment.Status.SUCCEEDED).charge_reference
    return [refund for refund in stripe_api.refunds.values() if refund["payment_intent"] == intent]


def received(shop, part, quantities) -> ReturnRequest:
    return_request = return_request_create(seller_order=part, quantities=quantities, reason="")
    return_request = return_authorise(return_request=return_request, by=shop["member"])
    return_request = return_send(return_request=return_request, carrier="Amana", tracking_number="RR1")
    return return_receive(return_request=return_request, by=shop["member"], condition_notes="As sent")


def lines(part, *products_quantities):
    return {part.lines.get(product=product).pk: quantity for product, quantity in products_quantities}


class TestRefundThroughTheProvider:
    def test_receipt_refunds_the_return_once(self, stripe_api, shop):
        part = delivered_by_card(stripe_api, (shop["rug"], 1), (shop["plate"], 2))
        returned = received(shop, part, lines(part, (shop["plate"], 1)))
        [refund] = refunds_of(stripe_api, part.order)
        assert refund["amount"] == int(returned.refund_amount * 100)
        assert (returned.status, returned.refund_state, returned.refund_reference) == (
            Status.REFUNDED, RefundState.SENT, refund["id"])
        assert f"{returned.reference}-refund-1" in stripe_api._remembered
        assert return_refund_send(return_request=returned).status == Status.REFUNDED
        assert len(refunds_of(stripe_api, part.order)) == 1
        part.refresh_from_db()
        assert part.refunded == returned.refund_amount

    def test_a_timeout_leaves_it_sending_and_the_retry_keeps_its_key_so_it_is_paid_once(self, stripe_api, shop):
        part = delivered_by_card(stripe_api, (shop["rug"], 1))
        stripe_api.fail_next(500)
        returned = received(shop, part, lines(part, (shop["rug"], 1)))
        assert (returned.status, returned.refund_state) == (Status.RECEIVED, RefundState.SENDING)
        assert returned.refund_error
        part.refresh_from_db()
        assert part.refunded == returned.refund_amount  # counted while the answer is unknown: never attributed twice
        with pytest.raises(PermissionDenied):
            return_refund_retry(return_request=returned, by=shop["member"])
        # Stripe remembers its 500 under the key: the retry gets it again and asks nothing new.
        retried = return_refund_retry(return_request=returned, by=shop["staff"])
        assert (retried.status, retried.refund_state, retried.refund_attempts) == (Status.RECEIVED, RefundState.SENDING, 1)
        assert refunds_of(stripe_api, part.order) == []
        # Staff find it in the dashboard (or refund it there) and record it: counted once on the part.
        recorded = return_refund_record(return_request=retried, by=shop["staff"], reference="re_dashboard")
        assert (recorded.status, recorded.refund_state) == (Status.REFUNDED, RefundState.SENT)
        part.refresh_from_db()
        assert part.refunded == recorded.refund_amount == part.total  # the whole part: goods and shipping

    def test_a_refusal_is_kept_for_staff_and_the_retry_uses_a_new_key(self, stripe_api, shop):
        part = delivered_by_card(stripe_api, (shop["rug"], 1))
        stripe_api.fail_next(402)
        returned = received(shop, part, lines(part, (shop["rug"], 1)))
        assert returned.refund_state == RefundState.FAILED
        part.refresh_from_db()
        assert part.refunded == 0
        retried = return_refund_retry(return_request=returned, by=shop["staff"])
        assert retried.refund_state == RefundState.SENT and retried.refund_attempts == 2
        assert f"{returned.reference}-refund-2" in stripe_api._remembered
        assert len(refunds_of(stripe_api, part.order)) == 1


class TestPayouts:
    def test_an_unpaid_payout_is_reduced_by_the_returned_goods(self, shop):
        part = delivered_order((shop["rug"], 1), (shop["plate"], 2))
        before = payout_record(seller_order=part).amount
        returned = received(shop, part, lines(part, (shop["plate"], 1)))
        return_refund_record(return_request=returned, by=shop["staff"], reference="VIR")
        payout = SellerPayout.objects.get(seller_order=part)
        assert 0 < payout.amount < before and payout.status == SellerPayout.Status.OWED
        assert not SellerPayoutClawback.objects.exists()

    def test_a_paid_part_is_clawed_back_from_the_next_payouts_never_below_zero(self, shop):
        first = delivered_order((shop["rug"], 1))
        paid = payout_mark_paid(payout=payout_record(seller_order=first), by=shop["staff"], reference="VIR-1")
        returned = received(shop, first, lines(first, (shop["rug"], 1)))
        return_refund_record(return_request=returned, by=shop["staff"], reference="RET-1")
        paid.refresh_from_db()
        assert paid.status == SellerPayout.Status.PAID and "recover it from the seller" in paid.error
        [clawback] = SellerPayoutClawback.objects.all()
        assert clawback.amount == paid.amount and clawback.recovered == 0

        small = delivered_order((shop["plate"], 1))  # owes the seller less than the clawback
        small_payout = payout_record(seller_order=small)
        assert small_payout.amount == 0 and small_payout.clawback > 0
        assert small_payout.status == SellerPayout.Status.PAID and small_payout.transfer_reference == "clawback"

        big = delivered_order((shop["rug"], 2))
        big_payout = payout_record(seller_order=big)
        clawback.refresh_from_db()
        assert clawback.recovered == clawback.amount == small_payout.clawback + big_payout.clawback
        assert big_payout.amount > 0 and big_payout.status == SellerPayout.Status.OWED
        gross = big_payout.products - big_payout.commission + big_payout.shipping
        assert big_payout.amount == gross - big_payout.clawback

    def test_a_clawback_is_recorded_once_per_refund(self, shop):
        part = delivered_order((shop["rug"], 1), (shop["plate"], 2))
        payout_mark_paid(payout=payout_record(seller_order=part), by=shop["staff"], reference="VIR-1")
        for product, quantity in ((shop["plate"], 1), (shop["plate"], 1)):
            returned = received(shop, part, lines(part, (product, quantity)))
            return_refund_record(return_request=returned, by=shop["staff"], reference="RET")
        clawbacks = list(SellerPayoutClawback.objects.order_by("pk"))
        assert len(clawbacks) == 2 and all(clawback.amount > 0 for clawback in clawbacks)
        payout = SellerPayout.objects.get(seller_order=part)
        assert sum(clawback.amount for clawback in clawbacks) <= payout.amount


class TestRefundsNeverExceedWhatWasPaid:
    @settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(bought=st.lists(st.integers(min_value=1, max_value=3), min_size=3, max_size=3),
           returns=st.lists(st.tuples(st.lists(st.integers(min_value=0, max_value=3), min_size=3, max_size=3),
                                      st.sampled_from(["refund", "refuse", "cancel", "sent"])), max_size=4),
           abroad=st.booleans())
    def test_any_sequence_of_returns(self, shop, bought, returns, abroad):
        products = [shop["rug"], shop["plate"], shop["lamp"]]
        Product.objects.filter(pk__in=[p.pk for p in products]).update(stock=100)
        stock_before = {p.pk: Product.objects.get(pk=p.pk).stock for p in products}
        part = delivered_order(*zip(products, bought, strict=True), address=NEW_YORK if abroad else None,
                               incoterm="DAP" if abroad else "DDP")
        order_lines = [part.lines.get(product=p) for p in products]
        for wanted, outcome in returns:
            held = {line.pk: sum(r.quantity for r in line.return_lines.exclude(
                return_request__status__in=[Status.REFUSED, Status.CANCELLED])) for line in order_lines}
            quantities = {line.pk: min(q, line.quantity - held[line.pk]) for line, q in zip(order_lines, wanted, strict=True)}
            if not any(quantities.values()):
                continue
            return_request = return_request_create(seller_order=part, quantities=quantities, reason="")
            if outcome == "refuse" and not return_request.legal_withdrawal:
                return_refuse(return_request=return_request, by=shop["member"], reason="No")
                continue
            if outcome == "cancel":
                return_cancel(return_request=return_request)
                continue
            return_request = return_authorise(return_request=return_request, by=shop["member"])
            return_request = return_send(return_request=return_request, carrier="Amana", tracking_number="1")
            if outcome == "sent":
                continue
            return_request = return_receive(return_request=return_request, by=shop["member"])
            return_refund_record(return_request=return_request, by=shop["staff"], reference="R")

        part = SellerOrder.objects.get(pk=part.pk)
        refunded = ReturnRequest.objects.filter(seller_order=part, status=Status.REFUNDED)
        total_refunded = sum((r.refund_amount for r in refunded), Decimal(0))
        assert total_refunded <= part.total
        assert part.refunded == total_refunded
        part.order.refresh_from_db()
        assert part.order.refunded <= part.order.total
        for product, line in zip(products, order_lines, strict=True):
            back = sum(r.quantity for r in line.return_lines.filter(
                return_request__status__in=[Status.RECEIVED, Status.REFUNDED]))
            taken = 0 if product.made_to_order else line.quantity
            expected = stock_before[product.pk] - taken + (0 if product.made_to_order else back)
            assert Product.objects.get(pk=product.pk).stock == expected
        everything_back = all(sum(r.quantity for r in line.return_lines.filter(
            return_request__status=Status.REFUNDED)) == line.quantity for line in order_lines)
        if everything_back:
            assert total_refunded == part.total
