"""What payments tell orders, in one direction. Payments learn what happened to the money (a provider's
event, a bank transfer staff record) and tell the orders app through the one ``PaymentEventReceiver``
it registers in its ``AppConfig.ready()``; the receiver answers with a ``PaymentOutcome``. Payments never
import orders: they hold orders only as the instances they are given and by the string "orders.Order"."""

import enum
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ImproperlyConfigured


class PaymentOutcome(enum.StrEnum):
    """What came of a payment event or a recorded transfer. The value is what the event's record keeps
    and what the webhook answers the provider."""

    PAID = "paid"
    ALREADY_PAID = "already paid"
    AMOUNT_MISMATCH = "amount mismatch"
    # Paid after the time ran out, when the stock had been sold: the payment goes back to the buyer.
    REFUND = "refund"
    # The order was already paid by another attempt: this payment goes back to the buyer.
    SECOND_PAYMENT = "second payment"
    # Money taken that is not the order's total: kept for staff to review (Payment.Status.ON_HOLD).
    ON_HOLD = "on hold: amount mismatch"
    CANCELLED = "cancelled"
    EXPIRED_ANOTHER_OPEN = "payment expired; another attempt is open"
    NOT_AWAITING_PAYMENT = "ignored: not awaiting payment"
    FAILURE_NOTED = "failure noted"
    REFUND_RECORDED = "refund recorded"
    REFUND_ALREADY_RECORDED = "already recorded"
    CURRENCY_MISMATCH = "currency mismatch"
    SECOND_PAYMENT_REFUND = "ignored: refund of a second payment"
    NO_ORDER = "ignored: no order"
    IGNORED = "ignored"
    DUPLICATE = "duplicate"
    # A bank transfer short of the total beyond the tolerance: the buyer is asked for the rest.
    PARTIAL = "partial"
    # A bank transfer on an order already paid (or refunded): staff return it.
    EXTRA = "extra"


@dataclass(frozen=True)
class OutcomeReport:
    """An outcome and what the receiver adds to it for the record ("2 part(s) cancelled", "refunded")."""

    outcome: PaymentOutcome
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.outcome}: {self.detail}" if self.detail else self.outcome.value


class PaymentEventReceiver(ABC):
    """What the app that owns orders does with what payments learn. Every method runs inside the
    transaction that records the event or the transfer, so an exception undoes both."""

    @abstractmethod
    def order_find(self, *, reference: str):
        """The order of that reference, or None."""

    @abstractmethod
    def order_lock(self, *, order):
        """The order's row again, locked until the transaction ends: one event of an order at a time."""

    @abstractmethod
    def may_record_payment(self, *, user, order) -> bool:
        """Whether the user may record money received for the order (a bank transfer)."""

    @abstractmethod
    def order_paid(self, *, order, amount: Decimal, currency: str) -> PaymentOutcome:
        """The provider took ``amount``: PAID, ALREADY_PAID, AMOUNT_MISMATCH, or REFUND when the order
        cannot be paid any more and the payment must go back."""

    @abstractmethod
    def order_payment_expired(self, *, order, reason: str) -> PaymentOutcome:
        """The last open attempt expired: CANCELLED, or NOT_AWAITING_PAYMENT."""

    @abstractmethod
    def order_payment_failed(self, *, order, message: str) -> PaymentOutcome:
        """An attempt failed: FAILURE_NOTED, or NOT_AWAITING_PAYMENT."""

    @abstractmethod
    def order_refunded(self, *, order, refunded_total: Decimal, currency: str,
                       second_payment: bool) -> OutcomeReport:
        """The provider reports ``refunded_total`` refunded so far; ``second_payment`` when the refunded
        charge is one payments gave back themselves (SECOND_PAYMENT_REFUND if the order stays paid)."""

    @abstractmethod
    def order_transfer_received(self, *, order, amount: Decimal, tolerance: Decimal, hold: timedelta,
                                now: datetime) -> PaymentOutcome:
        """``amount`` (in the order's currency) arrived by bank transfer: PAID, PARTIAL or EXTRA.
        Raises ValidationError when the order cannot be paid any more."""


_receiver: PaymentEventReceiver | None = None


def payment_event_receiver_register(receiver: PaymentEventReceiver) -> None:
    """Called once, by the orders app when it is ready."""
    global _receiver  # the one receiver, set at start-up
    _receiver = receiver


def payment_event_receiver() -> PaymentEventReceiver:
    """The registered receiver; raises ImproperlyConfigured if the orders app registered none."""
    if _receiver is None:
        raise ImproperlyConfigured("No payment event receiver: the orders app registers one when it is ready.")
    return _receiver
