"""Starting payments and acting on what providers report, each provider event exactly once."""

import logging
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from config.public_urls import public_base_url
from currency.selectors import exchange_rate, money_round
from marketplace.orders.models import Order
from marketplace.orders.services import (
    order_cancel_unpaid,
    order_paid,
    order_payment_failed,
    order_refund_record,
    orders_release_unpaid,
)
from outbox.services import outbox_enqueue

from .interface import EventKind, PaymentProviderError, ProviderEvent, payment_provider, payment_providers
from .models import BankTransferReceipt, Payment, PaymentEvent
from .selectors import transfer_currencies, transfer_tolerance

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


def bank_transfer_record(*, order: Order, amount: Decimal, currency: str, by, received_on: date | None = None,
                         bank_reference: str = "", now: datetime | None = None) -> str:
    """Record money that arrived by bank transfer for an order, as the statement shows it: the amount and
    currency received, converted into the order's currency at the stored rate. Receipts add up. Within
    the tolerance (BankTransferSettings) of the total, the order is paid and the difference recorded;
    further short, the buyer is asked for the rest (same reference) and given the hold again to send
    it; more than the total is flagged for staff (``Order.overpaid``).

    Returns "paid", "partial" or "extra" (the order was already paid). Raises PermissionDenied for
    anyone who may not, ValidationError for an order not paid offline, a currency no account takes or
    without a rate, an amount that is not a positive sum of money, a date in the future, or an order
    whose stock was sold meanwhile (the money goes back to the buyer instead)."""
    if not by.has_perm("orders.change_order"):
        raise PermissionDenied
    now = now or timezone.now()
    provider = payment_providers().get(order.payment_provider)
    if provider is None or not provider.offline:
        raise ValidationError(_("This order is not paid by bank transfer."), code="not_offline")
    currency = (currency or "").strip().upper()
    if currency not in {order.currency, *transfer_currencies(options=provider.options)}:
        raise ValidationError({"currency": _("No chamber account takes %(currency)s.") % {"currency": currency or "–"}})
    try:
        rate = exchange_rate(currency, order.currency)
    except KeyError:
        raise ValidationError({"currency": _("There is no exchange rate for %(currency)s.") % {"currency": currency}}) from None
    if not isinstance(amount, Decimal) or not amount.is_finite() or amount <= 0 or amount.adjusted() >= 12:
        raise ValidationError({"amount": _("Enter the amount received, such as 1234.50.")})
    received_on = received_on or timezone.localdate(now)
    if received_on > timezone.localdate(now):
        raise ValidationError({"received_on": _("The money cannot have arrived after today.")})
    receipt = BankTransferReceipt(
        order=order, amount=money_round(amount, currency), currency=currency, rate=rate.quantize(Decimal("1e-10")),
        amount_in_order_currency=money_round(amount * rate, order.currency), received_on=received_on,
        bank_reference=(bank_reference or "").strip(), recorded_by=by.get_username())
    receipt.full_clean()  # amounts beyond the columns' digits are refused here, as form errors
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        receipt.order = order
        receipt.save()
        order.received += receipt.amount_in_order_currency
        order.save(update_fields=["received"])
        log(instance=order, action="marketplace.bank_transfer_received", user=by,
            data={"amount": str(receipt.amount), "currency": currency, "rate": str(receipt.rate),
                  "in_order_currency": str(receipt.amount_in_order_currency), "received_on": received_on.isoformat(),
                  "bank_reference": receipt.bank_reference, "received_total": str(order.received)})
        if order.paid_at is not None or order.status == Order.Status.REFUNDED:
            return "extra"
        shortfall = order.total - order.received
        if shortfall > transfer_tolerance(order=order):
            if order.status == Order.Status.AWAITING_PAYMENT:
                # The rest takes another transfer: the products stay held for as long again.
                order.pay_by = max(order.pay_by, now + provider.hold)
                order.payment_reminded_at = None
                order.save(update_fields=["pay_by", "payment_reminded_at"])
                outbox_enqueue("marketplace.orders.tasks.order_email_send", order.pk, "partial", public_base_url())
            return "partial"
        outcome = order_paid(order=order, amount=order.total, currency=order.currency, now=now)
        if outcome == "refund":
            raise ValidationError(_("The stock of this order was released and sold meanwhile: "
                                    "return the transfer to the buyer instead."))
        payment, _created = Payment.objects.get_or_create(
            provider=provider.name, reference=order.reference,
            defaults={"order": order, "amount": order.received, "currency": order.currency})
        payment.status = Payment.Status.SUCCEEDED
        payment.amount = order.received
        payment.recorded_by = by.get_username()
        payment.save(update_fields=["status", "amount", "recorded_by", "updated_at"])
        Order.objects.filter(pk=order.pk).update(payment_difference=shortfall)
    return "paid"


__all__ = ["PaymentProviderError", "bank_transfer_record", "payment_event_process", "payment_refund",
           "payment_start"]
