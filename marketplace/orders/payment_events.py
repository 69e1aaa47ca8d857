"""What orders do with what payments learn: the receiver this app registers with payments when it is
ready (``OrdersConfig.ready``), so that payment events reach orders in one direction."""

from datetime import datetime, timedelta
from decimal import Decimal

from marketplace.payments.events import OutcomeReport, PaymentEventReceiver, PaymentOutcome

from .models import Order
from .permissions import order_payment_recorder
from .services import order_cancel_unpaid, order_paid, order_payment_failed, order_refund_apply, order_transfer_received


class OrderPaymentEvents(PaymentEventReceiver):
    def order_find(self, *, reference: str) -> Order | None:
        return Order.objects.filter(reference=reference).first()

    def order_lock(self, *, order: Order) -> Order:
        return Order.objects.select_for_update().get(pk=order.pk)

    def may_record_payment(self, *, user, order: Order) -> bool:
        return order_payment_recorder(user)

    def order_paid(self, *, order: Order, amount: Decimal, currency: str) -> PaymentOutcome:
        return order_paid(order=order, amount=amount, currency=currency)

    def order_payment_expired(self, *, order: Order, reason: str) -> PaymentOutcome:
        cancelled = order_cancel_unpaid(order=order, reason=reason)
        return PaymentOutcome.CANCELLED if cancelled else PaymentOutcome.NOT_AWAITING_PAYMENT

    def order_payment_failed(self, *, order: Order, message: str) -> PaymentOutcome:
        return order_payment_failed(order=order, message=message)

    def order_refunded(self, *, order: Order, refunded_total: Decimal, currency: str,
                       second_payment: bool) -> OutcomeReport:
        if second_payment and order.status == Order.Status.PAID:
            return OutcomeReport(PaymentOutcome.SECOND_PAYMENT_REFUND)  # the order was paid by another one
        return order_refund_apply(order=order, refunded_total=refunded_total, currency=currency)

    def order_transfer_received(self, *, order: Order, amount: Decimal, tolerance: Decimal, hold: timedelta,
                                now: datetime) -> PaymentOutcome:
        return order_transfer_received(order=order, amount=amount, tolerance=tolerance, hold=hold, now=now)
