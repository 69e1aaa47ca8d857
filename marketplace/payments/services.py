"""Starting payments and acting on what providers report, each provider event exactly once."""

import logging
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from marketplace.orders.models import Order
from marketplace.orders.services import (
    order_cancel_unpaid,
    order_paid,
    order_payment_failed,
    order_refund_record,
    orders_release_unpaid,
)

from .interface import EventKind, PaymentProviderError, ProviderEvent, payment_provider
from .models import Payment, PaymentEvent

logger = logging.getLogger(__name__)


def payment_start(*, order: Order, success_url: str, cancel_url: str) -> Payment:
    """Open a payment of the order's total with its provider; raises PaymentProviderError or
    ValidationError when the order is no longer awaiting payment."""
    if not order.is_open_for_payment:
        raise ValidationError(_("This order is no longer awaiting payment."), code="not_open")
    provider = payment_provider(order.payment_provider)
    earlier = list(order.payments.filter(provider=provider.name, status=Payment.Status.STARTED))
    started = provider.start(order=order, success_url=success_url, cancel_url=cancel_url)
    payment, _created = Payment.objects.update_or_create(
        provider=provider.name, reference=started.reference,
        defaults={"order": order, "amount": order.total, "currency": order.currency,
                  "redirect_url": started.redirect_url},
    )
    # One open attempt at a time: a page left open can't be paid as well (if it was, see _apply).
    for attempt in earlier:
        if attempt.reference != payment.reference:
            provider.cancel(attempt)
    return payment


def _order_of(provider_name: str, event: ProviderEvent) -> Order | None:
    if event.order_reference:
        order = Order.objects.filter(reference=event.order_reference).first()
        if order:
            return order
    references = Q()
    if event.payment_reference:
        references |= Q(reference=event.payment_reference)
    if event.charge_reference:
        references |= Q(charge_reference=event.charge_reference)
    payment = Payment.objects.filter(references, provider=provider_name).select_related("order").first() \
        if references else None
    return payment.order if payment else None


def payment_event_process(*, provider_name: str, event: ProviderEvent) -> str:
    """Act on a provider event once: a repeat of an event already processed does nothing. Returns
    what happened. An exception rolls everything back, so the provider's retry is processed afresh."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = PaymentEvent.objects.create(provider=provider_name, event_id=event.event_id,
                                                     kind=event.provider_type[:60], outcome="")
        except IntegrityError:
            return "duplicate"
        order = _order_of(provider_name, event)
        if order is None:
            outcome = "ignored: no order" if event.kind != EventKind.IGNORED else "ignored"
            if event.kind != EventKind.IGNORED:
                logger.warning("%s event %s names no known order", provider_name, event.event_id)
        else:
            outcome = _apply(provider_name, order, event)
        record.order = order
        record.outcome = outcome[:300]
        record.save(update_fields=["order", "outcome"])
    return outcome


def _payment_of(provider_name: str, order: Order, event: ProviderEvent) -> Payment | None:
    if not event.payment_reference:
        return None
    payment, _created = Payment.objects.get_or_create(
        provider=provider_name, reference=event.payment_reference,
        defaults={"order": order, "amount": event.amount if event.amount is not None else order.total,
                  "currency": event.currency or order.currency},
    )
    return payment


def _apply(provider_name: str, order: Order, event: ProviderEvent) -> str:
    order = Order.objects.select_for_update().get(pk=order.pk)  # one event of an order at a time
    payment = _payment_of(provider_name, order, event)
    if event.kind == EventKind.COMPLETED:
        if payment and payment.status in (Payment.Status.SUCCEEDED, Payment.Status.REFUNDED):
            return "already paid"
        if event.amount != order.total or event.currency != order.currency:
            return _payment_hold(order, payment, event)
        paid_before = payment and order.payments.filter(status=Payment.Status.SUCCEEDED).exclude(pk=payment.pk).exists()
        if payment:
            payment.status = Payment.Status.SUCCEEDED
            payment.charge_reference = event.charge_reference or payment.charge_reference
            payment.save(update_fields=["status", "charge_reference", "updated_at"])
        outcome = "second payment" if paid_before else order_paid(
            order=order, amount=event.amount, currency=event.currency)
        # Refunded here, inside the transaction that records the event: if the provider fails, the
        # event is not recorded, the webhook answers 500 and the provider sends it again.
        if outcome in ("refund", "second payment") and payment:
            payment_refund(payment=payment, amount=event.amount)
            payment.status = Payment.Status.REFUNDED
            payment.save(update_fields=["status", "updated_at"])
            return f"{outcome}: refunded"
        return outcome
    if event.kind == EventKind.EXPIRED:
        if payment and payment.status == Payment.Status.STARTED:
            payment.status = Payment.Status.EXPIRED
            payment.save(update_fields=["status", "updated_at"])
        # Another attempt may still be open (the buyer chose to pay again); only the time limit cancels then.
        if order.payments.filter(status=Payment.Status.STARTED).exists():
            return "payment expired; another attempt is open"
        cancelled = order_cancel_unpaid(order=order, reason=_("The payment session expired."))
        return "cancelled" if cancelled else "ignored: not awaiting payment"
    if event.kind == EventKind.FAILED:
        if payment and payment.status == Payment.Status.STARTED:
            payment.status = Payment.Status.FAILED
            payment.save(update_fields=["status", "updated_at"])
        return order_payment_failed(order=order, message=event.message)
    if event.kind == EventKind.REFUNDED:
        refunded = Payment.objects.filter(provider=provider_name, charge_reference=event.charge_reference).first() \
            if event.charge_reference else None
        if refunded and refunded.status == Payment.Status.REFUNDED and order.status == Order.Status.PAID:
            return "ignored: refund of a second payment"  # the order was paid by another one
        return order_refund_record(order=order, refunded_total=event.amount, currency=event.currency)
    return "ignored"


def _payment_hold(order: Order, payment: Payment | None, event: ProviderEvent) -> str:
    """Money taken that is not the order's total: kept for staff to review (and refund, or settle),
    neither paying the order nor counting as a payment, so the right completion still pays it."""
    reason = _("Received %(amount)s %(currency)s, expected %(total)s %(expected)s.") % {
        "amount": event.amount, "currency": event.currency or "?", "total": order.total, "expected": order.currency}
    logger.error("Order %s: payment %s put on hold: %s", order.reference,
                 payment.reference if payment else event.event_id, reason)
    if payment:
        payment.status = Payment.Status.ON_HOLD
        payment.hold_reason = reason[:300]
        payment.charge_reference = event.charge_reference or payment.charge_reference
        payment.save(update_fields=["status", "hold_reason", "charge_reference", "updated_at"])
    return "on hold: amount mismatch"


def unpaid_orders_release(*, now=None) -> list[Order]:
    """Cancel the orders whose payment time has run out and stop their open payment attempts at the
    provider, so none of them can still be paid; returns the orders."""
    released = orders_release_unpaid(now=now)
    for payment in Payment.objects.filter(order__in=released, status=Payment.Status.STARTED):
        payment_provider(payment.provider).cancel(payment)
        payment.status = Payment.Status.EXPIRED
        payment.save(update_fields=["status", "updated_at"])
    return released


def payment_refund(*, payment: Payment, amount: Decimal) -> str:
    """Ask the provider to give back part or all of a payment; the provider's event records it.
    Raises PaymentProviderError."""
    reference = payment_provider(payment.provider).refund(payment, amount)
    logger.info("Refund %s of %s %s asked for order %s", reference, amount, payment.currency, payment.order.reference)
    return reference


def offline_payment_record(*, order: Order, amount: Decimal, by) -> str:
    """Chamber staff record a bank transfer received for an order. Raises PermissionDenied for
    anyone who may not, ValidationError for an order not paid offline or an amount that is not its total."""
    if not by.has_perm("marketplace.change_order"):
        raise PermissionDenied
    provider = payment_provider(order.payment_provider)
    if not provider.offline:
        raise ValidationError(_("This order is paid through %(provider)s, not offline.") % {"provider": provider.label})
    if amount != order.total:
        raise ValidationError({"amount": _("The transfer must be the order's total, %(total)s %(currency)s.")
                               % {"total": order.total, "currency": order.currency}})
    with transaction.atomic():
        payment, _created = Payment.objects.get_or_create(
            provider=provider.name, reference=order.reference,
            defaults={"order": order, "amount": order.total, "currency": order.currency},
        )
        outcome = order_paid(order=order, amount=amount, currency=order.currency)
        if outcome == "paid":
            payment.status = Payment.Status.SUCCEEDED
            payment.recorded_by = by.get_username()
            payment.save(update_fields=["status", "recorded_by", "updated_at"])
        elif outcome == "refund":
            raise ValidationError(_("The stock of this order was released and sold meanwhile: "
                                    "return the transfer to the buyer instead."))
    return outcome


__all__ = ["PaymentProviderError", "offline_payment_record", "payment_event_process", "payment_refund",
           "payment_start"]
