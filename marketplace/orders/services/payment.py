"""An order through payment: paid (then split per seller), reminded, released with its stock when never
paid, money received by bank transfer, refunds recorded. What payments learn reaches these functions
through ``payment_events.OrderPaymentEvents``, which the app registers with payments when it is ready.
"""

import logging
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from currency.selectors import money_format
from marketplace.payments.events import PaymentOutcome
from marketplace.payments.selectors import payments_unfinished
from marketplace.payments.services import payment_cancel

from ..models import Order
from ..stock import stock_changed, stock_return, stock_take
from .fulfilment import order_split
from .placing import _email_queue, _locked, _offline_providers
from .refunds import order_refund_apply

logger = logging.getLogger(__name__)

def orders_remind_unpaid(*, now: datetime | None = None) -> int:
    """Remind the buyers of orders awaiting a bank transfer whose hold ends within
    UNPAID_REMIND_BEFORE_HOURS, once each (claimed by a conditional update); returns how many."""
    now = now or timezone.now()
    soon = now + timedelta(hours=settings.UNPAID_REMIND_BEFORE_HOURS)
    due = Order.objects.filter(status=Order.Status.AWAITING_PAYMENT, payment_provider__in=_offline_providers(),
                               payment_reminded_at=None, pay_by__gt=now, pay_by__lte=soon)
    reminded = 0
    for pk in due.values_list("pk", flat=True):
        if Order.objects.filter(pk=pk, payment_reminded_at=None).update(payment_reminded_at=now):
            _email_queue(Order(pk=pk), "reminder")
            reminded += 1
    return reminded


def order_paid(*, order: Order, amount: Decimal, currency: str, now: datetime | None = None) -> PaymentOutcome:
    """Record that the amount due was received: the total, or for an order paid in instalments the
    deposit (which pays the order, splitting it to its sellers) and later the balance. Idempotent;
    returns what happened: PAID, ALREADY_PAID, AMOUNT_MISMATCH, or REFUND.

    An order already cancelled for want of payment takes its stock again if it is still there;
    otherwise it stays cancelled and the caller must refund (outcome REFUND).
    """
    now = now or timezone.now()
    with transaction.atomic():
        order = _locked(order)
        if order.balance_open:
            return _balance_paid(order, amount, currency, now)
        if order.status in (Order.Status.PAID, Order.Status.REFUNDED) or order.paid_at:
            return PaymentOutcome.ALREADY_PAID
        # Awaiting payment, or cancelled for want of it: the first instalment (the deposit, or the total).
        if _mismatch_noted(order, amount, currency, expected=order.deposit or order.total):
            return PaymentOutcome.AMOUNT_MISMATCH
        if order.status == Order.Status.CANCELLED:
            try:
                with transaction.atomic():
                    retaken = []
                    for line in order.lines.filter(stock_taken=True, product__isnull=False).order_by("product_id"):
                        stock_take(line.product_id, line.quantity, line.title)
                        retaken.append(line.product_id)
            except ValidationError:
                order.paid_at = now
                order.cancel_reason = _("Paid after the payment time ran out, when the stock had been sold; "
                                        "the payment is refunded in full.")
                order.save(update_fields=["paid_at", "cancel_reason"])
                return PaymentOutcome.REFUND
            stock_changed(retaken)
            order.cancelled_at = None
            order.cancel_reason = ""
        order.status = Order.Status.PAID if order.refunded < order.total else Order.Status.REFUNDED
        order.paid_at = now
        order.payment_error = ""
        _dates_from_payment(order, now)
        order.save(update_fields=["status", "paid_at", "cancelled_at", "cancel_reason", "payment_error",
                                  "delivery_by"])
        _email_queue(order, "paid")
        if order.status == Order.Status.PAID:
            order_split(order=order, now=now)
    return PaymentOutcome.PAID


def _mismatch_noted(order: Order, amount: Decimal | None, currency: str, *, expected: Decimal) -> bool:
    """Whether the money received is not the amount expected; if so, noted on the (locked) order."""
    if currency == order.currency and amount == expected:
        return False
    received = money_format(amount, currency or "?") if amount is not None else "?"
    order.payment_error = _("Received %(amount)s, expected %(total)s.") % {
        "amount": received, "total": money_format(expected, order.currency)}
    order.save(update_fields=["payment_error"])
    logger.error("Order %s: %s", order.reference, order.payment_error)
    return True


def _balance_paid(order: Order, amount: Decimal, currency: str, now: datetime) -> PaymentOutcome:
    """The balance of an order whose deposit is paid (the caller holds its lock): its parts may ship."""
    if _mismatch_noted(order, amount, currency, expected=order.total - order.deposit):
        return PaymentOutcome.AMOUNT_MISMATCH
    order.balance_paid_at = now
    order.payment_error = ""
    order.save(update_fields=["balance_paid_at", "payment_error"])
    _email_queue(order, "balance_paid")
    return PaymentOutcome.PAID


def _dates_from_payment(order: Order, now: datetime) -> None:
    """Preparing starts when the money arrives: dispatch and delivery dates (estimated when the order was
    placed) move by the days the payment took, so no seller is asked to dispatch before it was paid."""
    days = (timezone.localdate(now) - timezone.localdate(order.placed_at)).days
    if days <= 0:
        return
    for part in order.shipping_parts.all():
        part.dispatch_by += timedelta(days=days)
        part.save(update_fields=["dispatch_by"])
    order.delivery_by += timedelta(days=days)


def order_cancel_unpaid(*, order: Order, reason: str, now: datetime | None = None) -> bool:
    """Cancel an order still awaiting payment and give its stock back; False if it was not awaiting."""
    with transaction.atomic():
        order = _locked(order)
        if order.status != Order.Status.AWAITING_PAYMENT:
            return False
        stock_changed(stock_return(order.lines.all()))
        order.status = Order.Status.CANCELLED
        order.cancelled_at = now or timezone.now()
        order.cancel_reason = reason
        if order.received:  # part of a bank transfer arrived: it goes back to the buyer
            order.cancel_reason = _("%(reason)s The %(amount)s received is returned by the chamber.") % {
                "reason": reason, "amount": money_format(order.received, order.currency)}
        order.save(update_fields=["status", "cancelled_at", "cancel_reason"])
        _email_queue(order, "cancelled")
    return True


def orders_release_unpaid(*, now: datetime | None = None) -> list[Order]:
    """Cancel every order whose payment time has run out (beat task) and stop their open payment attempts
    at the provider, so none of them can still be paid; returns the orders."""
    now = now or timezone.now()
    released = []
    for order in Order.objects.filter(status=Order.Status.AWAITING_PAYMENT, pay_by__lt=now):
        if order_cancel_unpaid(order=order, reason=_("Not paid in time."), now=now):
            released.append(order)
    for payment in payments_unfinished(orders=released):
        payment_cancel(payment=payment)
    return released


def order_transfer_received(*, order: Order, amount: Decimal, tolerance: Decimal, hold: timedelta,
                            now: datetime) -> PaymentOutcome:
    """Add money that arrived by bank transfer (in the order's currency) to what the order received.
    Within ``tolerance`` of the total it pays the order (PAID, the difference recorded); further short,
    the buyer is asked for the rest and given ``hold`` again (PARTIAL); on an order already paid or
    refunded, EXTRA. For an order paid in instalments, what has arrived within ``tolerance`` of the
    deposit pays the deposit, and within it of the total the balance (both at once if the whole came).
    Raises ValidationError for an order whose stock was sold meanwhile."""
    with transaction.atomic():
        order = _locked(order)
        order.received += amount
        order.save(update_fields=["received"])
        if order.balance_open:
            return _transfer_balance(order, tolerance, now)
        if order.paid_at is not None or order.status == Order.Status.REFUNDED:
            return PaymentOutcome.EXTRA
        # The first instalment: the deposit of an order paid in instalments, else the total.
        due = order.deposit or order.total
        shortfall = due - order.received
        if shortfall > tolerance:
            if order.status == Order.Status.AWAITING_PAYMENT:
                # The rest takes another transfer: the products stay held for as long again.
                order.pay_by = max(order.pay_by, now + hold)
                order.payment_reminded_at = None
                order.save(update_fields=["pay_by", "payment_reminded_at"])
                _email_queue(order, "partial")
            return PaymentOutcome.PARTIAL
        if order_paid(order=order, amount=due, currency=order.currency, now=now) == PaymentOutcome.REFUND:
            raise ValidationError(_("The stock of this order was released and sold meanwhile: "
                                    "return the transfer to the buyer instead."))
        Order.objects.filter(pk=order.pk).update(payment_difference=shortfall)
        if order.deposit:
            order.refresh_from_db()
            if order.balance_open and order.total - order.received <= tolerance:  # the whole sum came at once
                return _transfer_balance(order, tolerance, now)
    return PaymentOutcome.PAID


def _transfer_balance(order: Order, tolerance: Decimal, now: datetime) -> PaymentOutcome:
    """Transfers for an order whose deposit is paid: within ``tolerance`` of the total, the balance is
    paid (the difference recorded); short of it, PARTIAL (the order page asks for the rest)."""
    shortfall = order.total - order.received
    if shortfall > tolerance:
        return PaymentOutcome.PARTIAL
    order_paid(order=order, amount=order.total - order.deposit, currency=order.currency, now=now)
    Order.objects.filter(pk=order.pk).update(payment_difference=shortfall)
    return PaymentOutcome.PAID


def order_refund_record(*, order: Order, refunded_total: Decimal, currency: str) -> str:
    """Record the provider's running total refunded on the order (``order_refund_apply``); returns what
    happened as the payment event records it ("refund recorded: 2 part(s) cancelled")."""
    return str(order_refund_apply(order=order, refunded_total=refunded_total, currency=currency))


def order_payment_failed(*, order: Order, message: str) -> PaymentOutcome:
    """Note a failed attempt for the buyer to see; the order stays open until its time runs out."""
    with transaction.atomic():
        order = _locked(order)
        if order.status != Order.Status.AWAITING_PAYMENT and not order.balance_open:
            return PaymentOutcome.NOT_AWAITING_PAYMENT
        order.payment_error = message or _("The payment was declined.")
        order.save(update_fields=["payment_error"])
    return PaymentOutcome.FAILURE_NOTED
