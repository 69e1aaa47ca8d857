"""The one entry point to payment providers: start, refund, transfer and cancel go through here, never
to a provider directly. Acts on what providers report, each event exactly once, and tells orders what
happened through the receiver they register (``events``); payments never import orders."""

import logging
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from currency.selectors import exchange_rate, money_format, money_round

from .events import OutcomeReport, PaymentOutcome, payment_event_receiver
from .interface import EventKind, PaymentProviderError, ProviderEvent, payment_provider, payment_providers
from .models import BankTransferReceipt, Payment, PaymentEvent
from .selectors import transfer_currencies, transfer_tolerance

logger = logging.getLogger(__name__)


# --- the provider calls ---------------------------------------------------------------------------


def payment_start(*, order, success_url: str, cancel_url: str) -> Payment:
    """Open a payment of what the order asks for now (``order.amount_due_now``: its total, or its deposit,
    or once that is paid its balance) with its provider; raises PaymentProviderError, or ValidationError
    when the order is no longer awaiting a payment."""
    if not (order.is_open_for_payment or order.balance_open):
        raise ValidationError(_("This order is no longer awaiting payment."), code="not_open")
    provider = payment_provider(order.payment_provider)
    earlier = list(Payment.objects.filter(order=order, provider=provider.name, status=Payment.Status.STARTED))
    started = provider.start(order=order, success_url=success_url, cancel_url=cancel_url)
    payment, _created = Payment.objects.update_or_create(
        provider=provider.name, reference=started.reference,
        defaults={"order": order, "amount": order.amount_due_now, "currency": order.currency,
                  "redirect_url": started.redirect_url},
    )
    # One open attempt at a time: a page left open can't be paid as well (if it was, see _apply). Its
    # status is left to the provider's expiry event.
    for attempt in earlier:
        if attempt.reference != payment.reference:
            payment_cancel(payment=attempt, expire=False)
    return payment


def payment_cancel(*, payment: Payment, expire: bool = True) -> None:
    """Stop an unfinished payment at its provider so it can no longer be paid (best effort: a provider
    that refuses, such as for a payment completed meanwhile, reports the rest by its events); with
    ``expire``, the attempt is marked expired. Never raises for an unfinished payment."""
    payment_provider(payment.provider).cancel(payment)
    if expire:
        payment.status = Payment.Status.EXPIRED
        payment.save(update_fields=["status", "updated_at"])


def payment_refund(*, payment: Payment, amount: Decimal, idempotency_key: str = "") -> str:
    """Ask the provider to give back part or all of a payment; returns its refund reference, and the
    provider's event records it on the order. A request repeated with the same ``idempotency_key``
    refunds once. Raises PaymentProviderError (PaymentOutcomeUnknown when the answer was lost)."""
    reference = payment_provider(payment.provider).refund(payment, amount, idempotency_key=idempotency_key)
    logger.info("Refund %s of %s %s asked for order %s", reference, amount, payment.currency, payment.order.reference)
    return reference


def payment_transfer(*, provider_name: str, account_reference: str, amount: Decimal, currency: str,
                     description: str, idempotency_key: str) -> str:
    """Pay ``amount`` into a connected account (a seller's) through the provider of that name; returns its
    transfer reference. A request repeated with the same ``idempotency_key`` pays once. Raises
    PaymentProviderError (PaymentOutcomeUnknown when the answer was lost), KeyError for no such provider."""
    return payment_provider(provider_name).transfer(
        account_reference=account_reference, amount=amount, currency=currency, description=description,
        idempotency_key=idempotency_key)


# --- what providers report ------------------------------------------------------------------------


def _order_of(provider_name: str, event: ProviderEvent):
    if event.order_reference:
        order = payment_event_receiver().order_find(reference=event.order_reference)
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
    """Act on a provider event once: a repeat of an event already processed does nothing. Returns what
    happened, as the event's record keeps it (a ``PaymentOutcome``, with any detail). An exception rolls
    everything back, so the provider's retry is processed afresh."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = PaymentEvent.objects.create(provider=provider_name, event_id=event.event_id,
                                                     kind=event.provider_type[:60], outcome="")
        except IntegrityError:
            return str(PaymentOutcome.DUPLICATE)
        order = _order_of(provider_name, event)
        if order is None:
            report = OutcomeReport(PaymentOutcome.NO_ORDER if event.kind != EventKind.IGNORED else PaymentOutcome.IGNORED)
            if event.kind != EventKind.IGNORED:
                logger.warning("%s event %s names no known order", provider_name, event.event_id)
        else:
            report = _apply(provider_name, order, event)
        record.order = order
        record.outcome = str(report)[:300]
        record.save(update_fields=["order", "outcome"])
    return str(report)


def _payment_of(provider_name: str, order, event: ProviderEvent) -> Payment | None:
    if not event.payment_reference:
        return None
    payment, _created = Payment.objects.get_or_create(
        provider=provider_name, reference=event.payment_reference,
        defaults={"order": order, "amount": event.amount if event.amount is not None else _instalment_expected(order),
                  "currency": event.currency or order.currency},
    )
    return payment


def _apply(provider_name: str, order, event: ProviderEvent) -> OutcomeReport:
    receiver = payment_event_receiver()
    order = receiver.order_lock(order=order)  # one event of an order at a time
    payment = _payment_of(provider_name, order, event)
    if event.kind == EventKind.COMPLETED:
        return _completed(receiver, order, payment, event)
    if event.kind == EventKind.EXPIRED:
        if payment and payment.status == Payment.Status.STARTED:
            payment.status = Payment.Status.EXPIRED
            payment.save(update_fields=["status", "updated_at"])
        # Another attempt may still be open (the buyer chose to pay again); only the time limit cancels then.
        if Payment.objects.filter(order=order, status=Payment.Status.STARTED).exists():
            return OutcomeReport(PaymentOutcome.EXPIRED_ANOTHER_OPEN)
        return OutcomeReport(receiver.order_payment_expired(order=order, reason=_("The payment session expired.")))
    if event.kind == EventKind.FAILED:
        if payment and payment.status == Payment.Status.STARTED:
            payment.status = Payment.Status.FAILED
            payment.save(update_fields=["status", "updated_at"])
        return OutcomeReport(receiver.order_payment_failed(order=order, message=event.message))
    if event.kind == EventKind.REFUNDED:
        refunded = Payment.objects.filter(provider=provider_name, charge_reference=event.charge_reference).first() \
            if event.charge_reference else None
        return receiver.order_refunded(
            order=order, refunded_total=event.amount, currency=event.currency,
            second_payment=bool(refunded and refunded.status == Payment.Status.REFUNDED))
    return OutcomeReport(PaymentOutcome.IGNORED)


def _completed(receiver, order, payment: Payment | None, event: ProviderEvent) -> OutcomeReport:
    if payment and payment.status in (Payment.Status.SUCCEEDED, Payment.Status.REFUNDED):
        return OutcomeReport(PaymentOutcome.ALREADY_PAID)
    expected = _instalment_expected(order)
    if event.amount != expected or event.currency != order.currency:
        return _payment_hold(order, payment, event, expected)
    # Another completed payment already paid this instalment: this one goes back. While the balance is
    # open, the other completed payment is the deposit's, and this one is the balance.
    paid_before = payment and not order.balance_open and Payment.objects.filter(
        order=order, status=Payment.Status.SUCCEEDED).exclude(pk=payment.pk).exists()
    if payment:
        payment.status = Payment.Status.SUCCEEDED
        payment.charge_reference = event.charge_reference or payment.charge_reference
        payment.save(update_fields=["status", "charge_reference", "updated_at"])
    outcome = PaymentOutcome.SECOND_PAYMENT if paid_before else receiver.order_paid(
        order=order, amount=event.amount, currency=event.currency)
    # Refunded here, inside the transaction that records the event: if the provider fails, the
    # event is not recorded, the webhook answers 500 and the provider sends it again.
    if outcome in (PaymentOutcome.REFUND, PaymentOutcome.SECOND_PAYMENT) and payment:
        payment_refund(payment=payment, amount=event.amount)
        payment.status = Payment.Status.REFUNDED
        payment.save(update_fields=["status", "updated_at"])
        return OutcomeReport(outcome, "refunded")
    return OutcomeReport(outcome)


def _instalment_expected(order) -> Decimal:
    """What a completed payment of the order must amount to: what it asks for now (the total, the
    deposit, or the balance). Once it asks for nothing, the instalment a late payment would be: the
    first one for an order cancelled unpaid (its stock may still be taken back), else the last one, so
    that a repeat of it is recognised as a second payment and refunded."""
    due = order.amount_due_now
    if due:
        return due
    deposit = order.deposit or Decimal(0)
    if order.paid_at is None:
        return deposit or order.total
    return order.total - deposit


def _payment_hold(order, payment: Payment | None, event: ProviderEvent, expected: Decimal) -> OutcomeReport:
    """Money taken that is not the amount due: kept for staff to review (and refund, or settle),
    neither paying the order nor counting as a payment, so the right completion still pays it."""
    received = money_format(event.amount, event.currency or "?") if event.amount is not None else "?"
    reason = _("Received %(amount)s, expected %(total)s.") % {
        "amount": received, "total": money_format(expected, order.currency)}
    logger.error("Order %s: payment %s put on hold: %s", order.reference,
                 payment.reference if payment else event.event_id, reason)
    if payment:
        payment.status = Payment.Status.ON_HOLD
        payment.hold_reason = reason[:300]
        payment.charge_reference = event.charge_reference or payment.charge_reference
        payment.save(update_fields=["status", "hold_reason", "charge_reference", "updated_at"])
    return OutcomeReport(PaymentOutcome.ON_HOLD)


# --- money staff record ---------------------------------------------------------------------------


def bank_transfer_record(*, order, amount: Decimal, currency: str, by, received_on: date | None = None,
                         bank_reference: str = "", now: datetime | None = None) -> PaymentOutcome:
    """Record money that arrived by bank transfer for an order, as the statement shows it: the amount and
    currency received, converted into the order's currency at the stored rate. Receipts add up. Within
    the tolerance (BankTransferSettings) of the total, the order is paid and the difference recorded;
    further short, the buyer is asked for the rest (same reference) and given the hold again to send
    it; more than the total is flagged for staff (``Order.overpaid``).

    Returns PAID, PARTIAL or EXTRA (the order was already paid). Raises PermissionDenied for anyone
    who may not (the orders' rule), ValidationError for an order not paid offline, a currency no account
    takes or without a rate, an amount that is not a positive sum of money, a date in the future, or an
    order whose stock was sold meanwhile (the money goes back to the buyer instead)."""
    receiver = payment_event_receiver()
    if not receiver.may_record_payment(user=by, order=order):
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
        order = receiver.order_lock(order=order)
        receipt.order = order
        receipt.save()
        received_total = order.received + receipt.amount_in_order_currency
        log(instance=order, action="marketplace.bank_transfer_received", user=by,
            data={"amount": str(receipt.amount), "currency": currency, "rate": str(receipt.rate),
                  "in_order_currency": str(receipt.amount_in_order_currency), "received_on": received_on.isoformat(),
                  "bank_reference": receipt.bank_reference, "received_total": str(received_total)})
        outcome = receiver.order_transfer_received(
            order=order, amount=receipt.amount_in_order_currency, tolerance=transfer_tolerance(order=order),
            hold=provider.hold, now=now)
        if outcome != PaymentOutcome.PAID:
            return outcome
        payment, _created = Payment.objects.get_or_create(
            provider=provider.name, reference=order.reference,
            defaults={"order": order, "amount": received_total, "currency": order.currency})
        payment.status = Payment.Status.SUCCEEDED
        payment.amount = received_total
        payment.recorded_by = by.get_username()
        payment.save(update_fields=["status", "amount", "recorded_by", "updated_at"])
    return outcome


__all__ = ["PaymentProviderError", "bank_transfer_record", "payment_cancel", "payment_event_process",
           "payment_refund", "payment_start", "payment_transfer"]
