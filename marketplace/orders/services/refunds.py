"""Refunds of sellers' parts: a declined part is refunded through payments, its refund recorded as due
before the provider is asked, so nothing ever refunds a part twice; refunds made at the provider are
attributed to the parts they cover, and parts refunded whole are cancelled.
"""

import logging
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from currency.selectors import money_round
from marketplace.payments.events import OutcomeReport, PaymentOutcome
from marketplace.payments.interface import PaymentOutcomeUnknown, PaymentProviderError, payment_provider
from marketplace.payments.selectors import payment_refundable
from marketplace.payments.services import payment_refund

from ..models import Order, RefundState, SellerOrder
from ..permissions import REFUND_ACTION, may_act
from ..signals import seller_order_refund_attributed
from ..stock import stock_changed, stock_return
from .fulfilment import TRANSITIONS, _seller_email_queue, _transition

logger = logging.getLogger(__name__)

Status = SellerOrder.Status

def seller_order_refund_send(*, seller_order: SellerOrder) -> SellerOrder:
    """Ask the provider to refund a declined part. The part is claimed (``sending``) in its own
    transaction before the provider is asked, so a second call finds nothing to do; a failure is
    recorded for staff to retry. Each known failure moves to a new idempotency key, while a retry of a
    call whose answer was lost keeps the key, so the provider refunds it once at most."""
    with transaction.atomic():
        locked = SellerOrder.objects.select_for_update().select_related("order").get(pk=seller_order.pk)
        if locked.status != Status.DECLINED or locked.refund_state not in (RefundState.DUE, RefundState.FAILED,
                                                                          RefundState.SENDING):
            return locked
        if locked.refund_state != RefundState.SENDING:
            locked.refund_attempts += 1
        locked.refund_state = RefundState.SENDING
        locked.save(update_fields=["refund_state", "refund_attempts"])
    order = locked.order
    payment = payment_refundable(order=order)
    try:
        if payment is None:
            raise PaymentProviderError(_("No completed payment to refund."))
        amount = order.paid_share_of(locked.total)
        reference = payment_refund(payment=payment, amount=amount,
                                   idempotency_key=f"{locked.reference}-refund-{locked.refund_attempts}")
    except PaymentOutcomeUnknown as error:  # perhaps refunded: stays "sending", a retry keeps its key
        SellerOrder.objects.filter(pk=locked.pk).update(refund_error=str(error)[:300])
    except PaymentProviderError as error:
        SellerOrder.objects.filter(pk=locked.pk).update(refund_state=RefundState.FAILED, refund_error=str(error)[:300])
    else:
        SellerOrder.objects.filter(pk=locked.pk).update(refund_state=RefundState.SENT, refund_reference=reference[:255],
                                                        refund_error="", refunded=amount)
    locked.refresh_from_db()
    return locked


def seller_order_refund_retry(*, seller_order: SellerOrder, by) -> SellerOrder:
    """Staff ask again for a refund that failed or whose answer never came."""
    if not may_act(by, seller_order, REFUND_ACTION):
        raise PermissionDenied
    if seller_order.refund_state not in (RefundState.FAILED, RefundState.SENDING):
        raise ValidationError(_("This part's refund is not waiting for a retry."))
    seller_order = seller_order_refund_send(seller_order=seller_order)
    log(instance=seller_order, action="marketplace.seller_order_refund", user=by,
        data={"refund_state": seller_order.refund_state})
    return seller_order


def seller_order_refund_record(*, seller_order: SellerOrder, by, reference: str = "") -> SellerOrder:
    """Staff record that a declined part was given back: transferred back to a buyer who paid by bank
    transfer, or found refunded in the provider's dashboard after an unclear or refused answer (the
    provider's own refund event then records it on the order)."""
    if not may_act(by, seller_order, REFUND_ACTION):
        raise PermissionDenied
    with transaction.atomic():
        locked = SellerOrder.objects.select_for_update().select_related("order").get(pk=seller_order.pk)
        if locked.refund_state not in (RefundState.MANUAL, RefundState.SENDING, RefundState.FAILED):
            raise ValidationError(_("This part has no refund waiting."))
        manual = locked.refund_state == RefundState.MANUAL
        locked.refund_state = RefundState.SENT
        locked.refund_reference = (reference or "").strip()[:255]
        order = locked.order
        locked.refunded = order.paid_share_of(locked.total)
        locked.save(update_fields=["refund_state", "refund_reference", "refunded"])
        if manual:
            order_refund_apply(order=order, refunded_total=order.refunded + locked.refunded, currency=order.currency)
        log(instance=locked, action="marketplace.seller_order_refund", user=by, data={"reference": locked.refund_reference})
    return locked


# --- refunds the payment provider reports for the order ------------------------------------------


def order_refund_apply(*, order: Order, refunded_total: Decimal, currency: str) -> OutcomeReport:
    """Record the provider's running total refunded on the order (events may come in any order).

    A refund of the whole order cancels its open seller parts (seller_orders_cancel_refunded); a
    partial one is recorded against the parts it covers (seller_orders_refund_attribute). Either way a
    delivered part's payout not yet paid is reduced or cancelled."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if currency != order.currency:
            logger.error("Order %s: refund in %s, order in %s", order.reference, currency, order.currency)
            return OutcomeReport(PaymentOutcome.CURRENCY_MISMATCH)
        if refunded_total <= order.refunded:
            return OutcomeReport(PaymentOutcome.REFUND_ALREADY_RECORDED)
        # An order paid in instalments whose balance never came is refunded whole by its deposit.
        paid = order.amount_paid or order.total
        order.refunded = min(refunded_total, paid)
        fields = ["refunded"]
        if order.refunded >= paid and order.status == Order.Status.PAID:
            order.status = Order.Status.REFUNDED
            fields.append("status")
        order.save(update_fields=fields)
        if order.refunded >= paid:
            cancelled = seller_orders_cancel_refunded(order=order)
            return OutcomeReport(PaymentOutcome.REFUND_RECORDED,
                                 f"{len(cancelled)} part(s) cancelled" if cancelled else "")
        seller_orders_refund_attribute(order=order)
    return OutcomeReport(PaymentOutcome.REFUND_RECORDED)


def seller_orders_cancel_refunded(*, order: Order, now: datetime | None = None) -> list[SellerOrder]:
    """The whole order was refunded: every open part is cancelled (its unshipped stock goes back on
    sale, its seller is told, the audit log records it) and a delivered part's unpaid payout is
    cancelled. Declined parts were refunded on their own and stay as they are. Returns the parts
    cancelled; the caller holds the order's lock."""
    now = now or timezone.now()
    sources, target = TRANSITIONS["cancel"]
    cancelled = []
    for part in SellerOrder.objects.select_for_update().filter(order=order).order_by("reference"):
        if part.status in sources:
            shipped = part.status == Status.SHIPPED
            previous = part.status
            part.status, part.cancelled_at, part.refunded = target, now, part.total
            part.save(update_fields=["status", "cancelled_at", "refunded"])
            if not shipped:  # what left with a carrier is not on the shelf any more
                stock_changed(stock_return(part.lines.filter(stock_taken=True)))
                part.lines.update(stock_taken=False)
            log(instance=part, action="marketplace.seller_order_cancel", user=None,
                data={"status": target, "previous": previous, "refunded": str(part.refunded),
                      "stock_returned": not shipped})
            _seller_email_queue(part, "cancelled")
            cancelled.append(part)
        elif part.status == Status.DELIVERED and part.refunded < part.total:
            part.refunded = part.total
            part.save(update_fields=["refunded"])
            log(instance=part, action="marketplace.seller_order_refund_attributed", user=None,
                data={"refunded": str(part.refunded)})
            seller_order_refund_attributed.send(sender=SellerOrder, seller_order=part)
    return cancelled


def seller_orders_refund_attribute(*, order: Order) -> list[SellerOrder]:
    """Record against the parts a partial refund that names none (made in the provider's dashboard).

    Rule: what the order's refunded total holds beyond the parts' own refunds (a declined part's
    refund, even one still being asked, counts as its total) is shared among the parts not declined
    nor cancelled, in proportion to what is left of each part's total, the last part taking the
    rounding; a delivered part's unpaid payout is reduced to match. Returns the parts changed; the
    caller holds the order's lock."""
    parts = list(SellerOrder.objects.select_for_update().filter(order=order).order_by("reference"))
    accounted = sum((part.total if part.status == Status.DECLINED and part.refund_state in (
        RefundState.DUE, RefundState.SENDING) else part.refunded for part in parts), Decimal(0))
    unattributed = order.refunded - accounted
    open_parts = [part for part in parts if part.status not in (Status.DECLINED, Status.CANCELLED)
                  and part.refunded < part.total]
    remaining = sum((part.total - part.refunded for part in open_parts), Decimal(0))
    if unattributed <= 0 or remaining <= 0:
        return []
    unattributed = min(unattributed, remaining)
    changed, left = [], unattributed
    for index, part in enumerate(open_parts):
        share = left if index == len(open_parts) - 1 else min(
            left, money_round(unattributed * (part.total - part.refunded) / remaining, order.currency))
        if share <= 0:
            continue
        left -= share
        part.refunded += share
        part.save(update_fields=["refunded"])
        log(instance=part, action="marketplace.seller_order_refund_attributed", user=None,
            data={"share": str(share), "refunded": str(part.refunded), "currency": order.currency})
        if part.status == Status.DELIVERED:
            seller_order_refund_attributed.send(sender=SellerOrder, seller_order=part)
        changed.append(part)
    return changed


# --- chasing parts nobody accepts ---------------------------------------------------------------


def seller_order_decline(*, seller_order: SellerOrder, by, reason: str, now: datetime | None = None) -> SellerOrder:
    """The seller cannot fulfil its part: its stock goes back on sale and the buyer is refunded that
    part (its products and its shipping) through the payment provider, or by bank transfer when the
    order was paid offline."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Tell the buyer why you decline this order.")})
    with transaction.atomic():
        offline = payment_provider(seller_order.order.payment_provider).offline
        seller_order = _transition(
            seller_order, "decline", by, now, decline_reason=reason[:300],
            refund_state=RefundState.MANUAL if offline else RefundState.DUE,
        )
        stock_changed(stock_return(seller_order.lines.filter(stock_taken=True)))
        seller_order.lines.update(stock_taken=False)
    if not offline:
        seller_order = seller_order_refund_send(seller_order=seller_order)
    return seller_order
