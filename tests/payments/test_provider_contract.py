"""One behavioural contract for every payment provider, like the search backends' (test_listing_contract):
the offline provider (bank transfer) and Stripe, through the local stand-in for its API.

What each capability flag promises:
- every provider: ``start`` gives a reference and an address to send the buyer to; ``cancel`` never raises,
  whether the attempt is open, already stopped or paid meanwhile; ``hold`` is a positive time.
- ``refunds``: True, ``refund`` of a completed payment returns the provider's reference, once per
  idempotency key; False, it raises PaymentProviderError (staff give the money back by hand).
- ``transfers``: True, ``transfer`` to a connected account returns a reference, once per idempotency key;
  False, it raises PaymentProviderError.
- ``offline``: False, the provider takes webhooks, and what happens to a payment reaches us as the same
  EventKind whatever the provider calls it; True, ``webhook_event`` is refused (WebhookRejected).
"""

import copy
import json
import secrets
import time
from datetime import timedelta
from decimal import Decimal

import pytest
import stripe
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from marketplace.payments.interface import (
    EventKind,
    PaymentProviderError,
    PaymentStart,
    WebhookRejected,
    payment_provider,
)
from marketplace.payments.models import Payment
from marketplace.payments.services import payment_cancel, payment_start
from tests.factories.catalog import product_create, seller_pages
from tests.factories.orders import europe_zone, order_for
from tests.factories.sellers import SellerFactory
from tests.stripe_standin import StripeStandIn

pytestmark = pytest.mark.django_db

WEBHOOK_SECRET = "whsec_contract"
SUCCESS_URL = "https://souk.example/en/orders/paid/"
CANCEL_URL = "https://souk.example/en/orders/cancelled/"


class OfflineHarness:
    """Bank transfer: the buyer pays outside the provider; staff record the money (a succeeded Payment)."""

    name = "offline"

    def __init__(self, settings):
        settings.PAYMENT_PROVIDERS = {"offline": copy.deepcopy(django_settings.PAYMENT_PROVIDERS["offline"])}

    def pay(self, payment: Payment) -> Payment:
        payment.status = Payment.Status.SUCCEEDED
        payment.save(update_fields=["status"])
        return payment

    def is_stopped(self, payment: Payment) -> bool:
        return True  # nothing is open at the provider: the buyer's transfer is simply not recorded

    def webhook(self, event_type: str, obj: dict) -> tuple[bytes, dict]:
        raise AssertionError("the offline provider takes no webhooks")


class StripeHarness:
    """Stripe Checkout, its API answered by the stand-in, its webhooks signed as Stripe signs them."""

    name = "stripe"

    def __init__(self, settings, standin: StripeStandIn):
        self.standin = standin
        settings.PAYMENT_PROVIDERS = {
            "stripe": {"BACKEND": "marketplace.payments.stripe_provider.StripeProvider",
                       "OPTIONS": {"SECRET_KEY": "sk_test_contract", "WEBHOOK_SECRET": WEBHOOK_SECRET,
                                   "API_BASE": standin.url, "NETWORK_RETRIES": 0}},
        }

    def pay(self, payment: Payment) -> Payment:
        session = self.standin.session_pay(payment.reference)
        payment.status, payment.charge_reference = Payment.Status.SUCCEEDED, session["payment_intent"]
        payment.save(update_fields=["status", "charge_reference"])
        return payment

    def is_stopped(self, payment: Payment) -> bool:
        return self.standin.sessions[payment.reference]["status"] != "open"

    def webhook(self, event_type: str, obj: dict) -> tuple[bytes, dict]:
        body = json.dumps({"id": f"evt_{secrets.token_hex(12)}", "object": "event", "type": event_type,
                           "created": int(time.time()), "data": {"object": obj}})
        signature = stripe.WebhookSignature.generate_signature_header(body, WEBHOOK_SECRET, timestamp=int(time.time()))
        return body.encode(), {"Stripe-Signature": signature}

    # What happens to a payment, as Stripe tells it: the object its event carries, by the kind we expect.
    def completed(self, payment: Payment) -> tuple[bytes, dict]:
        return self.webhook("checkout.session.completed", self.standin.session_pay(payment.reference))

    def expired(self, payment: Payment) -> tuple[bytes, dict]:
        return self.webhook("checkout.session.expired", self.standin.session_expire(payment.reference))

    def failed(self, payment: Payment) -> tuple[bytes, dict]:
        session = dict(self.standin.sessions[payment.reference], payment_status="unpaid")
        return self.webhook("checkout.session.async_payment_failed", session)

    def refunded(self, payment: Payment) -> tuple[bytes, dict]:
        session = self.standin.session_pay(payment.reference)
        charge = {"id": f"ch_{secrets.token_hex(12)}", "object": "charge", "amount": session["amount_total"],
                  "amount_refunded": session["amount_total"], "currency": session["currency"],
                  "payment_intent": session["payment_intent"], "metadata": dict(session["metadata"]),
                  "paid": True, "refunded": True, "status": "succeeded"}
        return self.webhook("charge.refunded", charge)


@pytest.fixture(params=["offline", "stripe"])
def harness(request, settings):
    if request.param == "offline":
        yield OfflineHarness(settings)
        return
    with StripeStandIn() as standin:
        yield StripeHarness(settings, standin)


@pytest.fixture
def provider(harness):
    return payment_provider(harness.name)


@pytest.fixture
def order(tree, harness):
    europe_zone()
    rug = product_create(seller_pages(tree, SellerFactory()), title="Rug", price="1234.50", stock=3)
    return order_for((rug, 2), provider=harness.name)


def started(order) -> Payment:
    return payment_start(order=order, success_url=SUCCESS_URL, cancel_url=CANCEL_URL)


class TestStart:
    def test_start_gives_a_reference_and_an_address_for_the_buyer(self, provider, order):
        start = provider.start(order=order, success_url=SUCCESS_URL, cancel_url=CANCEL_URL)
        assert isinstance(start, PaymentStart)
        assert start.reference.strip() and len(start.reference) <= Payment._meta.get_field("reference").max_length
        URLValidator(schemes=["https", "http"])(start.redirect_url)

    def test_a_started_payment_is_recorded_under_the_providers_reference(self, provider, order):
        payment = started(order)
        assert (payment.provider, payment.status) == (provider.name, Payment.Status.STARTED)
        assert (payment.amount, payment.currency) == (order.total, order.currency)
        assert payment.reference and payment.redirect_url

    def test_the_hold_is_a_positive_time_told_in_whole_hours(self, provider):
        assert provider.hold > timedelta(0)
        assert provider.hold_hours == int(provider.hold.total_seconds() // 3600) >= 1
        assert str(provider.label).strip()

    def test_an_order_no_longer_awaiting_payment_is_not_started(self, order):
        order.status = order.Status.CANCELLED
        order.save(update_fields=["status"])
        with pytest.raises(ValidationError):
            started(order)


class TestCancel:
    def test_cancelling_an_open_payment_never_raises_and_stops_it(self, harness, order):
        payment = started(order)
        payment_cancel(payment=payment)
        payment.refresh_from_db()
        assert payment.status == Payment.Status.EXPIRED
        assert harness.is_stopped(payment)

    def test_cancelling_twice_or_after_the_buyer_paid_never_raises(self, harness, provider, order):
        stopped = started(order)
        provider.cancel(stopped)
        assert provider.cancel(stopped) is None
        paid = harness.pay(started(order))
        assert provider.cancel(paid) is None


class TestRefund:
    def test_a_completed_payment_is_refunded_once_per_key_where_the_provider_refunds(self, harness, provider, order):
        payment = harness.pay(started(order))
        if not provider.refunds:
            with pytest.raises(PaymentProviderError):
                provider.refund(payment, order.total, idempotency_key="contract-refund-1")
            return
        first = provider.refund(payment, Decimal("10.00"), idempotency_key="contract-refund-1")
        again = provider.refund(payment, Decimal("10.00"), idempotency_key="contract-refund-1")
        other = provider.refund(payment, Decimal("5.00"), idempotency_key="contract-refund-2")
        assert first and first == again and other not in ("", first)


class TestTransfer:
    def test_a_transfer_is_made_once_per_key_only_where_the_provider_transfers(self, provider):
        request = {"account_reference": "acct_1Contract", "amount": Decimal("250.00"), "currency": "MAD",
                   "description": "Payout for SE26-CONTRACT-1", "idempotency_key": "payout-SE26-CONTRACT-1-1"}
        if not provider.transfers:
            with pytest.raises(PaymentProviderError):
                provider.transfer(**request)
            return
        first = provider.transfer(**request)
        assert first and provider.transfer(**request) == first
        assert provider.transfer(**{**request, "idempotency_key": "payout-SE26-CONTRACT-1-2"}) != first


class TestWebhooks:
    def test_a_provider_without_webhooks_refuses_every_call(self, provider):
        if not provider.offline:
            pytest.skip("takes webhooks: see the tests below")
        with pytest.raises(WebhookRejected):
            provider.webhook_event(body=b'{"id": "evt_1", "type": "checkout.session.completed"}', headers={})

    @pytest.mark.parametrize("happening, kind", [
        ("completed", EventKind.COMPLETED), ("expired", EventKind.EXPIRED), ("failed", EventKind.FAILED),
        ("refunded", EventKind.REFUNDED)])
    def test_what_happens_to_a_payment_reaches_us_as_the_same_kind_naming_the_order(
            self, harness, provider, order, happening, kind):
        if provider.offline:
            pytest.skip("takes no webhooks: see above")
        payment = started(order)
        body, headers = getattr(harness, happening)(payment)
        event = provider.webhook_event(body=body, headers=headers)
        assert event.kind == kind
        assert event.order_reference == order.reference and event.event_id
        if kind != EventKind.REFUNDED:
            assert event.payment_reference == payment.reference
        if kind in (EventKind.COMPLETED, EventKind.REFUNDED):
            assert (event.amount, event.currency) == (order.total, order.currency)
            assert event.charge_reference

    def test_an_event_of_no_interest_is_ignored_and_a_forged_one_refused(self, harness, provider, order):
        if provider.offline:
            pytest.skip("takes no webhooks: see above")
        body, headers = harness.webhook("customer.created", {"id": "cus_1", "object": "customer"})
        assert provider.webhook_event(body=body, headers=headers).kind == EventKind.IGNORED
        with pytest.raises(WebhookRejected):
            provider.webhook_event(body=body.replace(b"cus_1", b"cus_2"), headers=headers)
