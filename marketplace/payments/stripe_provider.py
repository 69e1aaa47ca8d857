"""Card payments through Stripe Checkout. The only module that imports ``stripe``.

A Checkout Session is opened in the order's currency with one line per product and one for shipping,
so Stripe's receipt shows what the buyer bought; an instalment (a deposit, a balance) is one line of its
amount. Webhook calls are verified with the library's
signature check (``Stripe-Signature``, 5-minute tolerance) and turned into ``ProviderEvent``s.
"""

import json
import logging
import time
from datetime import timedelta
from decimal import Decimal

import stripe
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from currency.selectors import money_from_minor_units, money_minor_units

from .interface import (
    EventKind,
    PaymentOutcomeUnknown,
    PaymentProvider,
    PaymentProviderError,
    PaymentStart,
    ProviderEvent,
    WebhookRejected,
)
from .selectors import instalment_name

logger = logging.getLogger(__name__)

SIGNATURE_TOLERANCE_SECONDS = 300
COMPLETED = {"checkout.session.completed", "checkout.session.async_payment_succeeded"}
PAID_STATUSES = {"paid", "no_payment_required"}
# Stripe takes a session's expires_at 30 minutes to 24 hours after it creates it (a minute's margin for the trip).
SESSION_LIFETIME_MIN, SESSION_LIFETIME_MAX = timedelta(minutes=31), timedelta(hours=23, minutes=59)
# Stripe's decimals in API amounts (docs.stripe.com/currencies), which are not always the currency's own
# (CLDR's, from babel): ISK and UGX have none but are sent with two, ending in 00; RSD or LBP are written
# whole yet sent in hundredths. Every other currency is sent in hundredths.
STRIPE_ZERO_DECIMAL = frozenset(["BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "VND", "VUV",
                                 "XAF", "XOF", "XPF"])
STRIPE_THREE_DECIMAL = frozenset(["BHD", "JOD", "KWD", "OMR", "TND"])


def stripe_decimals(currency: str) -> int:
    """How many decimals Stripe reads in an API amount of ``currency``."""
    currency = currency.upper()
    if currency in STRIPE_ZERO_DECIMAL:
        return 0
    return 3 if currency in STRIPE_THREE_DECIMAL else 2


def stripe_minor_units(amount: Decimal, currency: str) -> int:
    """An amount as Stripe takes it; raises PaymentProviderError for one Stripe cannot take exactly (a
    three-decimal currency's amount must end in 0), rather than charging another amount."""
    units = money_minor_units(amount, currency.upper(), decimals=stripe_decimals(currency))
    if currency.upper() in STRIPE_THREE_DECIMAL and units % 10:
        raise PaymentProviderError(gettext("Stripe takes %(currency)s amounts to two decimals only.")
                                   % {"currency": currency.upper()})
    return units


def stripe_amount(units: int, currency: str) -> Decimal:
    """An amount Stripe sent (in its minor units of ``currency``) as a Decimal."""
    return money_from_minor_units(units, currency.upper(), decimals=stripe_decimals(currency))


class StripeProvider(PaymentProvider):
    label = _("Card")
    description = _("Pay by card on Stripe's secure page, in your currency.")
    # Sellers' Stripe Connect accounts receive payouts; their ids are this prefix and letters and digits.
    transfers = True
    refunds = True
    account_reference_prefix = "acct_"

    def __init__(self, name: str, **options):
        super().__init__(name, **options)
        self.webhook_secret = options.get("WEBHOOK_SECRET") or ""
        api_base = options.get("API_BASE")
        self.client = stripe.StripeClient(
            options["SECRET_KEY"],
            base_addresses={"api": api_base} if api_base else None,
            max_network_retries=int(options.get("NETWORK_RETRIES", 2)),
        )

    def start(self, *, order, success_url: str, cancel_url: str) -> PaymentStart:
        currency = order.currency.lower()
        instalment = instalment_name(order=order)
        if instalment:  # a deposit or a balance: one line of that amount, not the products
            line_items = [{"quantity": 1, "price_data": {
                "currency": currency, "unit_amount": stripe_minor_units(order.amount_due_now, order.currency),
                "product_data": {"name": instalment[:250]}}}]
        else:
            line_items = self._order_lines(order, currency)
        metadata = {"order_reference": order.reference}
        params = {
            "mode": "payment",
            "line_items": line_items,
            "client_reference_id": order.reference,
            "customer_email": order.email,
            "metadata": metadata,
            "payment_intent_data": {"metadata": metadata},
            "success_url": success_url,
            "cancel_url": cancel_url,
            "expires_at": int(_session_expiry(order.pay_by).timestamp()),
            "locale": "auto",
        }
        # No idempotency key of ours: Stripe replays the answer it gave a key, a 500 included, so a key
        # per order would refuse every later try; the library sets one per call for its own retries.
        try:
            session = self.client.v1.checkout.sessions.create(params=params)
        except stripe.StripeError as error:
            logger.warning("Stripe refused a Checkout Session for %s: %s", order.reference, error)
            raise PaymentProviderError(str(error)) from error
        return PaymentStart(reference=session.id, redirect_url=session.url)

    @staticmethod
    def _order_lines(order, currency: str) -> list[dict]:
        """One line per product, then shipping and the duties and taxes collected: the order's total."""
        line_items = [
            {"quantity": line.quantity,
             "price_data": {"currency": currency, "unit_amount": stripe_minor_units(line.unit_price, order.currency),
                            "product_data": {"name": line.title[:250]}}}
            for line in order.lines.all()
        ]
        if order.shipping:
            line_items.append({"quantity": 1, "price_data": {
                "currency": currency, "unit_amount": stripe_minor_units(order.shipping, order.currency),
                "product_data": {"name": gettext("Shipping")}}})
        if getattr(order, "charges_collected", 0):  # duties and taxes collected at checkout are part of the total
            line_items.append({"quantity": 1, "price_data": {
                "currency": currency, "unit_amount": stripe_minor_units(order.charges_collected, order.currency),
                "product_data": {"name": gettext("Import duties and taxes")}}})
        return line_items

    def cancel(self, payment) -> None:
        try:
            self.client.v1.checkout.sessions.expire(payment.reference)
        except stripe.StripeError as error:  # already completed or expired: its webhook tells the rest
            logger.info("Stripe session %s not expired: %s", payment.reference, error)

    def refund(self, payment, amount: Decimal, *, idempotency_key: str = "") -> str:
        # A full refund asked while processing an event has no key (see start): it runs inside the
        # transaction that records the event, so a failure has the event sent again and the refund asked
        # again, and one that went through is then refused as already made. A part's refund has its key.
        try:
            refund = self.client.v1.refunds.create(
                params={"payment_intent": payment.charge_reference,
                        "amount": stripe_minor_units(amount, payment.currency),
                        "metadata": {"order_reference": payment.order.reference}},
                options={"idempotency_key": idempotency_key} if idempotency_key else None,
            )
        except stripe.InvalidRequestError as error:
            if error.code == "charge_already_refunded":
                return "already refunded"
            raise PaymentProviderError(str(error)) from error
        except (stripe.APIConnectionError, stripe.APIError) as error:
            raise PaymentOutcomeUnknown(str(error)) from error
        except stripe.StripeError as error:
            raise PaymentProviderError(str(error)) from error
        return refund.id

    def transfer(self, *, account_reference: str, amount: Decimal, currency: str, description: str,
                 idempotency_key: str) -> str:
        # From the platform's Stripe balance, which must hold ``currency``. The key is kept in the metadata
        # too, so staff find in the dashboard whether a payout left "being transferred" went through.
        try:
            transfer = self.client.v1.transfers.create(
                params={"amount": stripe_minor_units(amount, currency), "currency": currency.lower(),
                        "destination": account_reference, "description": description,
                        "metadata": {"idempotency_key": idempotency_key}},
                options={"idempotency_key": idempotency_key},
            )
        except (stripe.APIConnectionError, stripe.APIError) as error:
            logger.warning("No clear answer from Stripe to a transfer to %s (%s): %s", account_reference,
                           idempotency_key, error)
            raise PaymentOutcomeUnknown(str(error)) from error
        except stripe.StripeError as error:
            logger.warning("Stripe refused a transfer to %s (%s): %s", account_reference, idempotency_key, error)
            raise PaymentProviderError(str(error)) from error
        return transfer.id

    def webhook_event(self, *, body: bytes, headers) -> ProviderEvent:
        try:
            stripe.WebhookSignature.verify_header(
                body, headers.get("Stripe-Signature"), self.webhook_secret, SIGNATURE_TOLERANCE_SECONDS)
            _signed_not_in_future(headers.get("Stripe-Signature"))
            event = json.loads(body)
            obj = event["data"]["object"]
            event_id, event_type = event["id"], event["type"]
        except (stripe.SignatureVerificationError, ValueError, KeyError, TypeError) as error:
            raise WebhookRejected(str(error)) from error
        return _provider_event(event_id, event_type, obj)


def _signed_not_in_future(header: str) -> None:
    """The library refuses a signature older than the tolerance but not one dated ahead (stripe 16's
    ``verify_header`` only compares ``t`` with now minus the tolerance): a signed event held back and
    replayed later would pass, so a time beyond the tolerance ahead of ours is refused too."""
    stamps = [item.split("=", 1)[1] for item in header.split(",") if item.strip().startswith("t=")]
    try:
        signed_at = int(stamps[0])
    except (IndexError, ValueError):
        raise stripe.SignatureVerificationError("No timestamp in the signature header", header) from None
    if signed_at > time.time() + SIGNATURE_TOLERANCE_SECONDS:
        raise stripe.SignatureVerificationError(f"Timestamp in the future ({signed_at})", header)


def _session_expiry(pay_by):
    """The order's pay-by time, moved into the window Stripe takes: a buyer who comes back to pay late in
    the hold still gets a session, which the release task expires when it cancels the order."""
    now = timezone.now()
    return min(max(pay_by, now + SESSION_LIFETIME_MIN), now + SESSION_LIFETIME_MAX)


def _amount(obj, field) -> tuple[Decimal | None, str]:
    currency = (obj.get("currency") or "").upper()
    units = obj.get(field)
    return (stripe_amount(units, currency) if units is not None and currency else None), currency


def _provider_event(event_id: str, event_type: str, obj: dict) -> ProviderEvent:
    metadata = obj.get("metadata") or {}
    order_reference = obj.get("client_reference_id") or metadata.get("order_reference") or ""
    if event_type in COMPLETED or event_type in {"checkout.session.expired", "checkout.session.async_payment_failed"}:
        amount, currency = _amount(obj, "amount_total")
        common = {"event_id": event_id, "provider_type": event_type, "order_reference": order_reference,
                  "payment_reference": obj.get("id", ""), "charge_reference": obj.get("payment_intent") or "",
                  "amount": amount, "currency": currency}
        if event_type == "checkout.session.expired":
            return ProviderEvent(kind=EventKind.EXPIRED, **common)
        if event_type == "checkout.session.async_payment_failed":
            return ProviderEvent(kind=EventKind.FAILED, **common)
        if obj.get("payment_status") in PAID_STATUSES:
            return ProviderEvent(kind=EventKind.COMPLETED, **common)
        # Completed but still unpaid (a delayed method): async_payment_succeeded or _failed follows.
        return ProviderEvent(kind=EventKind.IGNORED, **common)
    if event_type == "payment_intent.payment_failed":
        error = obj.get("last_payment_error") or {}
        return ProviderEvent(event_id=event_id, kind=EventKind.FAILED, provider_type=event_type,
                             order_reference=order_reference, charge_reference=obj.get("id", ""),
                             message=(error.get("message") or "")[:300])
    if event_type == "charge.refunded":
        amount, currency = _amount(obj, "amount_refunded")
        return ProviderEvent(event_id=event_id, kind=EventKind.REFUNDED, provider_type=event_type,
                             order_reference=order_reference, charge_reference=obj.get("payment_intent") or "",
                             amount=amount, currency=currency)
    return ProviderEvent(event_id=event_id, kind=EventKind.IGNORED, provider_type=event_type,
                         order_reference=order_reference)
