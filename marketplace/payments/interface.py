"""What every payment provider does, in plain values: start a payment, cancel or refund it, pay a seller's
connected account, and turn its webhook calls into ``ProviderEvent``s. Providers are named in
``PAYMENT_PROVIDERS`` and loaded lazily; the rest of the code calls them only through ``services``
(payment_start, payment_refund, payment_transfer, payment_cancel). tests/payments/test_provider_contract.py
holds every provider to this contract."""

import enum
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from functools import cache

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string


class PaymentProviderError(Exception):
    """The provider could not be reached or refused the request; nothing was charged."""


class PaymentOutcomeUnknown(PaymentProviderError):
    """No answer, or a server error: the provider may or may not have done it. Whoever asked must not
    ask again under a new idempotency key before checking with the provider."""


class WebhookRejected(Exception):
    """A webhook call that is not the provider's: bad or stale signature, unreadable body."""


@dataclass(frozen=True)
class PaymentStart:
    reference: str  # the provider's name for this attempt
    redirect_url: str  # where the buyer goes to pay (or, offline, to read the instructions)


class EventKind(enum.StrEnum):
    COMPLETED = "completed"
    EXPIRED = "expired"
    FAILED = "failed"
    REFUNDED = "refunded"
    IGNORED = "ignored"


@dataclass(frozen=True)
class ProviderEvent:
    event_id: str
    kind: EventKind
    provider_type: str  # the provider's own name for the event
    order_reference: str = ""
    payment_reference: str = ""
    charge_reference: str = ""
    amount: Decimal | None = None  # paid, or refunded so far, in ``currency``
    currency: str = ""
    message: str = ""


class PaymentProvider(ABC):
    label = ""
    description = ""
    offline = False
    # How long an unpaid order keeps its stock.
    hold = timedelta(hours=1)

    def __init__(self, name: str, **options):
        self.name = name
        self.options = options

    @property
    def hold_hours(self) -> int:
        """The hold in whole hours, as the buyer is told it."""
        return int(self.hold.total_seconds() // 3600)

    @abstractmethod
    def start(self, *, order, success_url: str, cancel_url: str) -> PaymentStart:
        """Open a payment for the order's total; raises PaymentProviderError."""

    def cancel(self, payment) -> None:
        """Stop an unfinished payment from being completed (best effort; the provider may refuse)."""
        return None  # nothing to stop where the buyer pays outside the provider (bank transfer)

    # Whether ``refund`` can give money back; where it cannot (a bank transfer), staff transfer it back by hand.
    refunds = False

    def refund(self, payment, amount: Decimal, *, idempotency_key: str = "") -> str:
        """Give back ``amount`` of a completed payment; returns the provider's refund reference;
        raises PaymentProviderError. A request repeated with the same ``idempotency_key`` refunds once."""
        raise PaymentProviderError(f"{self.name} cannot refund")

    # Whether ``transfer`` can pay sellers' connected accounts.
    transfers = False

    def transfer(self, *, account_reference: str, amount: Decimal, currency: str, description: str,
                 idempotency_key: str) -> str:
        """Pay ``amount`` into a seller's connected account; returns the provider's transfer reference;
        raises PaymentProviderError. A request repeated with the same ``idempotency_key`` pays once."""
        raise PaymentProviderError(f"{self.name} cannot transfer")

    def webhook_event(self, *, body: bytes, headers) -> ProviderEvent:
        """The event a webhook call carries; raises WebhookRejected."""
        raise WebhookRejected(f"{self.name} takes no webhooks")


@cache
def payment_providers() -> dict[str, PaymentProvider]:
    providers = {}
    for name, config in settings.PAYMENT_PROVIDERS.items():
        providers[name] = import_string(config["BACKEND"])(name, **config.get("OPTIONS", {}))
    return providers


def payment_provider(name: str) -> PaymentProvider:
    """The provider of that name; raises KeyError if the deployment has none."""
    return payment_providers()[name]


@receiver(setting_changed)
def _providers_reload(setting, **kwargs):
    if setting == "PAYMENT_PROVIDERS":
        payment_providers.cache_clear()
