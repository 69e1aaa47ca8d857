"""Receiving a return and refunding it: the stock goes back on sale, the refund is recorded as due
before the payment provider is asked (so nothing refunds twice), and a part already paid out to its
seller is clawed back from the seller's next payouts (``payouts.services.payout_refund_apply``)."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from catalog.models import Product
from marketplace.orders.models import RefundState, SellerOrder
from marketplace.orders.services import order_refund_apply
from marketplace.orders.stock import stock_changed
from marketplace.payments.interface import PaymentOutcomeUnknown, PaymentProviderError, payment_provider
from marketplace.payments.selectors import payment_refundable
from marketplace.payments.services import payment_refund
from marketplace.payouts.services import payout_refund_apply

from ..models import ReturnRequest
from ..permissions import REFUND_ACTION, may_act
from .steps import check_may_act, transition

Status = ReturnRequest.Status
RETRYABLE = (RefundState.DUE, RefundState.FAILED, RefundState.SENDING)


def return_receive(*, return_request: ReturnRequest, by, condition_notes: str = "",
                   now: datetime | None = None) -> ReturnRequest:
    """The seller received the goods back and notes their condition: the stock of lines not made to
    order goes back on sale, and the refund is asked of the payment provider (or left to staff to
    transfer, for an order paid by bank transfer)."""
    now = now or timezone.now()
    check_may_act(by, return_request, "receive", now)
    notes = (condition_notes or "").strip()
    if len(notes) > 1000:
        raise ValidationError({"condition_notes": _("Keep the notes under 1000 characters.")})
    with transaction.atomic():
        received = transition(return_request, "receive", by, now, condition_notes=notes)
        _stock_restore(received)
        offline = payment_provider(received.seller_order.order.payment_provider).offline
        received.refund_state = RefundState.MANUAL if offline else RefundState.DUE
        received.save(update_fields=["refund_state"])
    if offline:
        return received
    return return_refund_send(return_request=received, now=now)


def _stock_restore(return_request: ReturnRequest) -> None:
    """Put the returned units of lines that took stock back on sale, once (made-to-order lines took none)."""
    if return_request.stock_returned:
        return
    restored = []
    for line in sorted(return_request.lines.select_related("order_line"), key=lambda line: line.order_line.product_id or 0):
        order_line = line.order_line
        if order_line.product_id and not order_line.made_to_order:
            Product.objects.filter(pk=order_line.product_id).update(stock=F("stock") + line.quantity)
            restored.append(order_line.product_id)
    ReturnRequest.objects.filter(pk=return_request.pk).update(stock_returned=True)
    return_request.stock_returned = True
    log(instance=return_request, action="returns.stock_restore", user=None, data={"products": restored})
    stock_changed(restored)


def _count_on_part(return_request: ReturnRequest, counted: bool) -> None:
    """Add the refund to (or take it off) the seller part's refunded total; the caller holds the return's lock."""
    if return_request.counted_on_part == counted or return_request.refund_amount <= 0:
        return_request.counted_on_part = counted
        return
    change = return_request.refund_amount if counted else -return_request.refund_amount
    part = SellerOrder.objects.select_for_update().get(pk=return_request.seller_order_id)
    part.refunded = min(part.total, max(part.refunded + change, 0))
    part.save(update_fields=["refunded"])
    return_request.counted_on_part = counted


def return_refund_send(*, return_request: ReturnRequest, now: datetime | None = None) -> ReturnRequest:
    """Ask the provider to refund a received return. It is claimed (``sending``, and counted on its
    part) in its own transaction first, so a second call finds nothing to do; a refusal is recorded for
    staff to retry under a new idempotency key, a lost answer keeps its key for the retry."""
    with transaction.atomic():
        locked = ReturnRequest.objects.select_for_update().select_related("seller_order__order").get(pk=return_request.pk)
        if locked.status != Status.RECEIVED or locked.refund_state not in RETRYABLE:
            return locked
        if locked.refund_state != RefundState.SENDING:
            locked.refund_attempts += 1
        locked.refund_state = RefundState.SENDING
        _count_on_part(locked, True)
        locked.save(update_fields=["refund_state", "refund_attempts", "counted_on_part"])
    if locked.refund_amount <= 0:
        return _refunded(locked, reference="", by=None, now=now)
    payment = payment_refundable(order=locked.seller_order.order)
    try:
        if payment is None:
            raise PaymentProviderError(_("No completed payment to refund."))
        reference = payment_refund(payment=payment, amount=locked.refund_amount,
                                   idempotency_key=f"{locked.reference}-refund-{locked.refund_attempts}")
    except PaymentOutcomeUnknown as error:  # perhaps refunded: stays "sending", a retry keeps its key
        ReturnRequest.objects.filter(pk=locked.pk).update(refund_error=str(error)[:300])
    except PaymentProviderError as error:
        with transaction.atomic():
            failed = ReturnRequest.objects.select_for_update().get(pk=locked.pk)
            _count_on_part(failed, False)
            failed.refund_state, failed.refund_error = RefundState.FAILED, str(error)[:300]
            failed.save(update_fields=["refund_state", "refund_error", "counted_on_part"])
            log(instance=failed, action="returns.refund_failed", user=None, data={"error": failed.refund_error})
    else:
        return _refunded(locked, reference=reference, by=None, now=now)
    locked.refresh_from_db()
    return locked


def _refunded(return_request: ReturnRequest, *, reference: str, by, now: datetime | None) -> ReturnRequest:
    with transaction.atomic():
        locked = ReturnRequest.objects.select_for_update().get(pk=return_request.pk)
        _count_on_part(locked, True)
        refunded = transition(locked, "refund", by, now, refund_state=RefundState.SENT,
                              refund_reference=(reference or "")[:255], refund_error="",
                              counted_on_part=True)
        payout_refund_apply(seller_order=refunded.seller_order)
    return refunded


def return_refund_retry(*, return_request: ReturnRequest, by) -> ReturnRequest:
    """Staff ask again for a refund that failed or whose answer never came."""
    if not may_act(by, return_request, REFUND_ACTION):
        raise PermissionDenied
    if return_request.refund_state not in (RefundState.FAILED, RefundState.SENDING):
        raise ValidationError(_("This return's refund is not waiting for a retry."))
    return return_refund_send(return_request=return_request)


def return_refund_record(*, return_request: ReturnRequest, by, reference: str = "",
                         now: datetime | None = None) -> ReturnRequest:
    """Staff record a refund made outside the platform: a bank transfer back to a buyer who paid by
    transfer, or one found made in the provider's dashboard after an unclear answer."""
    if not may_act(by, return_request, REFUND_ACTION):
        raise PermissionDenied
    if return_request.status != Status.RECEIVED or return_request.refund_state not in (
            RefundState.MANUAL, RefundState.SENDING, RefundState.FAILED):
        raise ValidationError(_("This return has no refund waiting."))
    manual = return_request.refund_state == RefundState.MANUAL
    with transaction.atomic():
        refunded = _refunded(return_request, reference=(reference or "").strip(), by=by, now=now)
        if manual:  # no provider event will report a bank transfer: record it on the order here
            order = refunded.seller_order.order
            order_refund_apply(order=order, refunded_total=order.refunded + refunded.refund_amount,
                               currency=order.currency)
    return refunded
