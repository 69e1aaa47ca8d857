"""Payment by bank transfer: the buyer is shown the account to pay into and the order reference to
quote; chamber staff record the payment in the admin when the money arrives. A real provider for
deployments without card payments, not a stand-in."""

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from .interface import PaymentProvider, PaymentStart
from .selectors import transfer_instructions


class OfflineProvider(PaymentProvider):
    label = _("Bank transfer")
    description = _("Offline payment: you transfer the amount to the chamber's account; "
                    "the order is confirmed when the chamber records the money.")
    offline = True

    def __init__(self, name: str, **options):
        super().__init__(name, **options)
        # Two days by default (a bank transfer is made within a working day), not a week: the units an
        # unpaid order holds are off sale meanwhile. The buyer is reminded before the end.
        self.hold = timedelta(hours=int(options.get("HOLD_HOURS", 48)))

    def start(self, *, order, success_url: str, cancel_url: str) -> PaymentStart:
        return PaymentStart(reference=order.reference, redirect_url=success_url)

    def instructions(self, order) -> dict:
        """The account to pay into (one that takes the order's currency; else the amount converted into
        one it takes), the amount still due, the instalment it is (deposit, balance) and the reference:
        ``transfer_instructions``."""
        return transfer_instructions(order=order, options=self.options)
