"""Reading payments."""

from marketplace.orders.models import Order

from .models import Payment


def payment_open(*, order: Order) -> Payment | None:
    """The order's payment attempt still open at its provider (one at a time), if any."""
    return order.payments.filter(status=Payment.Status.STARTED).order_by("-pk").first()
