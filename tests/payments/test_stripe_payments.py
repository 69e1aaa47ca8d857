"""Card payments through Stripe Checkout, against a local stand-in for the Stripe API: the session a
payment opens, and what each signed webhook event does to the order, once."""

import copy
import json
import secrets
import time
from datetime import timedelta
from decimal import Decimal

import pytest
import stripe
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from catalog.models import Product
from marketplace.orders.models import Order
from marketplace.orders.selectors import order_url
from marketplace.orders.tasks import orders_release_unpaid_task
from marketplace.payments.interface import PaymentProviderError
from marketplace.payments.models import Payment, PaymentEvent
from marketplace.payments.services import payment_start
from marketplace.payments.stripe_provider import stripe_amount, stripe_minor_units
from sellers.roles import CHAMBER_STAFF_GROUP
from tests.factories.catalog import product_create, seller_pages
from tests.factories.orders import europe_zone, order_for
from tests.factories.sellers import SellerFactory, UserFactory
from tests.stripe_standin import StripeStandIn

pytestmark = pytest.mark.django_db

WEBHOOK_SECRET = "whsec_test"
SUCCESS_URL = "https://souk.example/en/orders/paid/"
CANCEL_URL = "https://souk.example/en/orders/cancelled/"


@pytest.fixture
def stripe_api(settings):
    with StripeStandIn() as standin:
        settings.PAYMENT_PROVIDERS = {
            "stripe": {"BACKEND": "marketplace.payments.stripe_provider.StripeProvider",
                       "OPTIONS": {"SECRET_KEY": "sk_test_standin", "WEBHOOK_SECRET": WEBHOOK_SECRET,
                                   "API_BASE": standin.url, "NETWORK_RETRIES": 0}},
            "offline": copy.deepcopy(django_settings.PAYMENT_PROVIDERS["offline"]),
        }
        yield standin


@pytest.fixture
def products(tree):
    europe_zone()
    rug = product_create(seller_pages(tree, SellerFactory()), title="Rug", price="1234.50", stock=3)  # 3,000 g
    plate = product_create(seller_pages(tree, SellerFactory()), title="Plate", craft="1.03.02", hs_code="6912.00",
                           price="99.99", stock=40, min_order_quantity=2)
    return {"rug": rug, "plate": plate}


def started(*product_quantities, currency="EUR", now=None) -> tuple[Order, Payment]:
    """A card order placed and its Checkout Session opened."""
    order = order_for(*product_quantities, currency=currency, provider="stripe", now=now)
    return order, payment_start(order=order, success_url=SUCCESS_URL, cancel_url=CANCEL_URL)


@pytest.fixture
def card_order(stripe_api, products):
    return started((products["rug"], 2))


def minor(amount: Decimal, currency: str) -> int:
    """Stripe's integer amount: cents, or whole francs for the zero-decimal XAF."""
    units = amount * (1 if currency == "XAF" else 100)
    assert units == units.to_integral_value(), f"{amount} {currency} is not a whole number of minor units"
    return int(units)


def stock(product) -> int:
    return Product.objects.get(pk=product.pk).stock


def event(event_type: str, obj: dict, *, event_id: str = "") -> dict:
    return {"id": event_id or f"evt_{secrets.token_hex(12)}", "object": "event", "api_version": "2025-09-30.clover",
            "created": int(time.time()), "livemode": False, "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": None}, "type": event_type, "data": {"object": obj}}


def deliver(client, sent: dict, *, secret=WEBHOOK_SECRET, signed_at=None, body=None):
    """POST the event to the webhook as Stripe does: its JSON body signed with the webhook secret."""
    payload = json.dumps(sent)
    signature = stripe.WebhookSignature.generate_signature_header(
        payload, secret, timestamp=int(signed_at if signed_at is not None else time.time()))
    return client.post(reverse("payment_webhook", args=["stripe"]), data=payload if body is None else body,
                       content_type="application/json", HTTP_STRIPE_SIGNATURE=signature)


def charge(order: Order, payment_intent: str, *, refunded: Decimal) -> dict:
    """The charge of a Checkout payment, as ``charge.refunded`` carries it (the intent's metadata copied)."""
    return {"id": f"ch_{secrets.token_hex(12)}", "object": "charge", "amount": minor(order.total, order.currency),
            "amount_refunded": minor(refunded, order.currency), "currency": order.currency.lower(),
            "payment_intent": payment_intent, "metadata": {"order_reference": order.reference},
            "paid": True, "refunded": refunded == order.total, "status": "succeeded"}


def refreshed(*objects):
    for obj in objects:
        obj.refresh_from_db()


class TestStartingAPayment:
    @pytest.mark.parametrize("currency", ["EUR", "XAF"])
    def test_a_checkout_session_is_opened_in_the_orders_currency_with_lines_in_minor_units(
            self, stripe_api, products, currency):
        order, payment = started((products["rug"], 1), (products["plate"], 2), currency=currency)
        [sent] = stripe_api.requests_to("POST", "/v1/checkout/sessions")
        lines = {line["price_data"]["product_data"]["name"]: line for line in sent["line_items"]}
        assert {line["price_data"]["currency"] for line in sent["line_items"]} == {currency.lower()}
        for order_line in order.lines.all():
            line = lines[order_line.title]
            assert int(line["price_data"]["unit_amount"]) == minor(order_line.unit_price, currency)
            assert int(line["quantity"]) == order_line.quantity
        assert order.shipping > 0
        assert lines["Shipping"]["quantity"] == "1"
        assert int(lines["Shipping"]["price_data"]["unit_amount"]) == minor(order.shipping, currency)
        assert sent["client_reference_id"] == order.reference
        assert sent["metadata"] == {"order_reference": order.reference}
        assert sent["payment_intent_data"]["metadata"] == {"order_reference": order.reference}
        assert int(sent["expires_at"]) == int(order.pay_by.timestamp())
        assert (sent["mode"], sent["success_url"], sent["cancel_url"]) == ("payment", SUCCESS_URL, CANCEL_URL)
        session = stripe_api.sessions[payment.reference]
        assert session["amount_total"] == minor(order.total, currency)
        assert (payment.provider, payment.status, payment.redirect_url) == ("stripe", "started", session["url"])
        assert (payment.amount, payment.currency) == (order.total, currency)

    def test_a_zero_decimal_total_is_sent_in_whole_francs(self, stripe_api, products):
        order, payment = started((products["rug"], 1), currency="XAF")
        # 1234.50 MAD is about 75,000 XAF: sent as cents it would be a hundred times that.
        assert 10_000 < stripe_api.sessions[payment.reference]["amount_total"] == int(order.total) < 1_000_000

    def test_a_provider_error_raises_and_leaves_the_order_awaiting_payment(self, stripe_api, products):
        order = order_for((products["rug"], 1), provider="stripe")
        stripe_api.fail_next(500)
        with pytest.raises(PaymentProviderError):
            payment_start(order=order, success_url=SUCCESS_URL, cancel_url=CANCEL_URL)
        order.refresh_from_db()
        assert order.status == Order.Status.AWAITING_PAYMENT and not order.payments.exists()
        assert stock(products["rug"]) == 2

    def test_the_buyer_can_try_again_after_a_provider_error(self, stripe_api, products):
        order = order_for((products["rug"], 1), provider="stripe")
        stripe_api.fail_next(500)
        with pytest.raises(PaymentProviderError):
            payment_start(order=order, success_url=SUCCESS_URL, cancel_url=CANCEL_URL)
        payment = payment_start(order=order, success_url=SUCCESS_URL, cancel_url=CANCEL_URL)
        assert stripe_api.sessions[payment.reference]["status"] == "open"

    def test_a_payment_started_late_in_the_hold_still_opens_a_session(self, stripe_api, products):
        # Stripe refuses a session that expires within 30 minutes; the release task ends it at pay_by.
        order, payment = started((products["rug"], 1), now=timezone.now() - timedelta(minutes=45))
        assert order.pay_by < timezone.now() + timedelta(minutes=30)
        assert stripe_api.sessions[payment.reference]["status"] == "open"

    def test_a_refused_api_key_raises(self, stripe_api, products, settings):
        settings.PAYMENT_PROVIDERS = {**settings.PAYMENT_PROVIDERS, "stripe": {
            **settings.PAYMENT_PROVIDERS["stripe"],
            "OPTIONS": {**settings.PAYMENT_PROVIDERS["stripe"]["OPTIONS"], "SECRET_KEY": "sk_live_oops!"}}}
        order = order_for((products["rug"], 1), provider="stripe")
        with pytest.raises(PaymentProviderError, match="API Key"):
            payment_start(order=order, success_url=SUCCESS_URL, cancel_url=CANCEL_URL)


class TestCompletedCheckout:
    def test_a_paid_session_marks_the_order_paid_and_sends_the_confirmation(
            self, client, stripe_api, card_order, django_capture_on_commit_callbacks):
        order, payment = card_order
        session = stripe_api.session_pay(payment.reference)
        assert session["amount_total"] == minor(order.total, "EUR")
        with django_capture_on_commit_callbacks(execute=True):
            response = deliver(client, event("checkout.session.completed", session))
        assert (response.status_code, response.content) == (200, b"paid")
        refreshed(order, payment)
        assert order.status == Order.Status.PAID and order.paid_at
        assert payment.status == Payment.Status.SUCCEEDED
        assert payment.charge_reference == session["payment_intent"] and payment.charge_reference.startswith("pi_")
        to_buyer = [message for message in mail.outbox if message.to == [order.email]]
        assert [message.subject for message in to_buyer] == [f"Order {order.reference} confirmed"]
        assert len(mail.outbox) == 1 + order.seller_orders.count()  # and each seller is told
        assert PaymentEvent.objects.get().outcome == "paid"

    def test_duties_and_taxes_collected_at_checkout_are_charged_and_the_order_is_paid(self, client, stripe_api,
                                                                                       products):
        from customs.services import duty_rates_refresh, sample_rules_load
        from tests.factories.catalog import eu_offer_ready

        sample_rules_load()
        duty_rates_refresh()
        eu_offer_ready(products["rug"])
        order, payment = started((products["rug"], 1), currency="EUR")
        assert order.charges_collected > 0  # French VAT under IOSS
        [sent] = stripe_api.requests_to("POST", "/v1/checkout/sessions")
        lines = {line["price_data"]["product_data"]["name"]: line for line in sent["line_items"]}
        assert int(lines["Import duties and taxes"]["price_data"]["unit_amount"]) == minor(order.charges_collected, "EUR")
        session = stripe_api.session_pay(payment.reference)
        assert session["amount_total"] == minor(order.total, "EUR")
        assert deliver(client, event("checkout.session.completed", session)).content == b"paid"
        refreshed(order, payment)
        assert order.status == Order.Status.PAID

    def test_a_completed_session_not_yet_paid_waits_for_its_payment(self, client, stripe_api, card_order):
        order, payment = card_order
        session = dict(stripe_api.sessions[payment.reference], status="complete", payment_status="unpaid")
        assert deliver(client, event("checkout.session.completed", session)).status_code == 200
        order.refresh_from_db()
        assert order.status == Order.Status.AWAITING_PAYMENT and not order.paid_at


class TestSignature:
    @pytest.mark.parametrize("forgery", ["body changed after signing", "signed with another secret", "unsigned"])
    def test_a_forged_event_is_rejected_and_changes_nothing(
            self, client, stripe_api, card_order, django_capture_on_commit_callbacks, forgery):
        order, payment = card_order
        sent = event("checkout.session.completed", stripe_api.session_pay(payment.reference))
        with django_capture_on_commit_callbacks(execute=True):
            if forgery == "body changed after signing":
                changed = json.loads(json.dumps(sent))
                changed["data"]["object"]["amount_total"] = 100
                response = deliver(client, sent, body=json.dumps(changed))
            elif forgery == "signed with another secret":
                response = deliver(client, sent, secret="whsec_someone_else")
            else:
                response = client.post(reverse("payment_webhook", args=["stripe"]), data=json.dumps(sent),
                                       content_type="application/json")
        assert response.status_code == 400
        refreshed(order, payment)
        assert order.status == Order.Status.AWAITING_PAYMENT and payment.status == Payment.Status.STARTED
        assert not PaymentEvent.objects.exists() and not mail.outbox


class TestStaleSignature:
    def test_an_event_signed_ten_minutes_ago_is_rejected(self, client, stripe_api, card_order):
        order, payment = card_order
        sent = event("checkout.session.completed", stripe_api.session_pay(payment.reference))
        response = deliver(client, sent, signed_at=time.time() - 600)
        assert response.status_code == 400
        order.refresh_from_db()
        assert order.status == Order.Status.AWAITING_PAYMENT and not PaymentEvent.objects.exists()

    def test_an_event_signed_ten_minutes_ahead_is_rejected(self, client, stripe_api, card_order):
        order, payment = card_order
        sent = event("checkout.session.completed", stripe_api.session_pay(payment.reference))
        response = deliver(client, sent, signed_at=time.time() + 600)
        assert response.status_code == 400
        order.refresh_from_db()
        assert order.status == Order.Status.AWAITING_PAYMENT and not PaymentEvent.objects.exists()

    def test_an_event_signed_a_minute_ahead_is_taken(self, client, stripe_api, card_order):
        order, payment = card_order
        sent = event("checkout.session.completed", stripe_api.session_pay(payment.reference))
        assert deliver(client, sent, signed_at=time.time() + 60).status_code == 200  # clocks differ a little
        order.refresh_from_db()
        assert order.status == Order.Status.PAID

    def test_an_event_signed_a_minute_ago_is_taken(self, client, stripe_api, card_order):
        order, payment = card_order
        sent = event("checkout.session.completed", stripe_api.session_pay(payment.reference))
        assert deliver(client, sent, signed_at=time.time() - 60).status_code == 200
        order.refresh_from_db()
        assert order.status == Order.Status.PAID


class TestRepeatedDelivery:
    def test_the_same_event_delivered_twice_acts_once(
            self, client, stripe_api, card_order, django_capture_on_commit_callbacks):
        order, payment = card_order
        sent = event("checkout.session.completed", stripe_api.session_pay(payment.reference))
        with django_capture_on_commit_callbacks(execute=True):
            first = deliver(client, sent)
        order.refresh_from_db()
        paid_at = order.paid_at
        with django_capture_on_commit_callbacks(execute=True):
            second = deliver(client, sent)
        assert (first.status_code, first.content) == (200, b"paid")
        assert (second.status_code, second.content) == (200, b"duplicate")
        order.refresh_from_db()
        assert order.status == Order.Status.PAID and order.paid_at == paid_at
        assert PaymentEvent.objects.count() == 1 and len(mail.outbox) == 1 + order.seller_orders.count()
        assert order.seller_orders.count() == 1


class TestExpiredSession:
    def test_an_expired_session_cancels_the_unpaid_order_and_returns_its_stock(
            self, client, stripe_api, products, card_order, django_capture_on_commit_callbacks):
        order, payment = card_order
        assert stock(products["rug"]) == 1
        with django_capture_on_commit_callbacks(execute=True):
            response = deliver(client, event("checkout.session.expired", stripe_api.session_expire(payment.reference)))
        assert (response.status_code, response.content) == (200, b"cancelled")
        refreshed(order, payment)
        assert order.status == Order.Status.CANCELLED and order.cancel_reason
        assert payment.status == Payment.Status.EXPIRED
        assert stock(products["rug"]) == 3
        assert [message.subject for message in mail.outbox] == [f"Order {order.reference} cancelled"]

    def test_a_payment_completed_after_expiry_takes_the_stock_again_if_it_is_still_there(
            self, client, stripe_api, products, card_order):
        order, payment = card_order
        open_session = dict(stripe_api.sessions[payment.reference])
        paid_session = stripe_api.session_pay(payment.reference)  # paid as its time ran out
        deliver(client, event("checkout.session.expired", dict(open_session, status="expired")))
        assert stock(products["rug"]) == 3
        response = deliver(client, event("checkout.session.completed", paid_session))
        assert (response.status_code, response.content) == (200, b"paid")
        refreshed(order, payment)
        assert order.status == Order.Status.PAID and not order.cancel_reason
        assert payment.status == Payment.Status.SUCCEEDED
        assert stock(products["rug"]) == 1
        assert not stripe_api.requests_to("POST", "/v1/refunds")

    def test_a_payment_completed_after_expiry_when_the_stock_was_sold_is_refunded_in_full(
            self, client, stripe_api, products, card_order, django_capture_on_commit_callbacks):
        order, payment = card_order
        open_session = dict(stripe_api.sessions[payment.reference])
        paid_session = stripe_api.session_pay(payment.reference)
        deliver(client, event("checkout.session.expired", dict(open_session, status="expired")))
        order_for((products["rug"], 3), email="quicker@example.com")
        with django_capture_on_commit_callbacks(execute=True):
            response = deliver(client, event("checkout.session.completed", paid_session))
        assert (response.status_code, response.content) == (200, b"refund: refunded")
        order.refresh_from_db()
        assert order.status == Order.Status.CANCELLED and order.paid_at and "refunded" in order.cancel_reason
        assert stock(products["rug"]) == 0
        [refund] = stripe_api.requests_to("POST", "/v1/refunds")
        assert refund["payment_intent"] == paid_session["payment_intent"]
        assert int(refund["amount"]) == minor(order.total, "EUR") == paid_session["amount_total"]
        assert [r["status"] for r in stripe_api.refunds.values()] == ["succeeded"]

    def test_a_refund_the_provider_failed_is_asked_again_when_the_event_is_sent_again(
            self, client, stripe_api, products, card_order, django_capture_on_commit_callbacks):
        order, payment = card_order
        open_session = dict(stripe_api.sessions[payment.reference])
        paid_session = stripe_api.session_pay(payment.reference)
        deliver(client, event("checkout.session.expired", dict(open_session, status="expired")))
        order_for((products["rug"], 3), email="quicker@example.com")
        completed = event("checkout.session.completed", paid_session)
        stripe_api.fail_next(500)
        with pytest.raises(PaymentProviderError), django_capture_on_commit_callbacks(execute=True):
            deliver(client, completed)  # the webhook answers 500 in production, so Stripe sends it again
        with django_capture_on_commit_callbacks(execute=True):
            deliver(client, completed)
        assert [r["payment_intent"] for r in stripe_api.refunds.values()] == [paid_session["payment_intent"]]


class TestCompletedAndExpiredInEitherOrder:
    @pytest.mark.parametrize("arrival", [("completed", "expired"), ("expired", "completed")])
    def test_the_order_ends_paid(self, client, stripe_api, products, card_order, arrival):
        order, payment = card_order
        open_session = dict(stripe_api.sessions[payment.reference])
        events = {"completed": event("checkout.session.completed", stripe_api.session_pay(payment.reference)),
                  "expired": event("checkout.session.expired", dict(open_session, status="expired"))}
        for kind in arrival:
            assert deliver(client, events[kind]).status_code == 200
        refreshed(order, payment)
        assert order.status == Order.Status.PAID and not order.cancelled_at
        assert payment.status == Payment.Status.SUCCEEDED
        assert stock(products["rug"]) == 1

    def test_expired_after_completed_does_nothing(
            self, client, stripe_api, products, card_order, django_capture_on_commit_callbacks):
        order, payment = card_order
        open_session = dict(stripe_api.sessions[payment.reference])
        deliver(client, event("checkout.session.completed", stripe_api.session_pay(payment.reference)))
        order.refresh_from_db()
        paid_at = order.paid_at
        with django_capture_on_commit_callbacks(execute=True):
            response = deliver(client, event("checkout.session.expired", dict(open_session, status="expired")))
        assert response.content == b"ignored: not awaiting payment"
        refreshed(order, payment)
        assert (order.status, order.paid_at, payment.status) == (Order.Status.PAID, paid_at, Payment.Status.SUCCEEDED)
        assert stock(products["rug"]) == 1 and not mail.outbox


class TestRefundEvents:
    @pytest.fixture
    def paid(self, client, stripe_api, card_order):
        order, payment = card_order
        session = stripe_api.session_pay(payment.reference)
        deliver(client, event("checkout.session.completed", session))
        order.refresh_from_db()
        assert order.status == Order.Status.PAID
        return order, session

    def test_a_full_refund_marks_the_order_refunded(self, client, paid):
        order, session = paid
        response = deliver(client, event("charge.refunded", charge(order, session["payment_intent"],
                                                                   refunded=order.total)))
        assert (response.status_code, response.content) == (200, b"refund recorded: 1 part(s) cancelled")
        order.refresh_from_db()
        assert order.status == Order.Status.REFUNDED and order.refunded == order.total

    def test_a_full_refund_cancels_the_open_seller_part_returns_its_stock_and_tells_the_seller(
            self, client, paid, products, django_capture_on_commit_callbacks):
        order, session = paid
        [part] = order.seller_orders.all()
        assert part.status == "awaiting_acceptance" and stock(products["rug"]) == 1
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            response = deliver(client, event("charge.refunded", charge(order, session["payment_intent"],
                                                                       refunded=order.total)))
        assert response.content == b"refund recorded: 1 part(s) cancelled"
        part.refresh_from_db()
        assert part.status == "cancelled" and part.refunded == part.total
        assert stock(products["rug"]) == 3
        assert [message.to for message in mail.outbox] == [[part.seller.email]]

    def test_a_partial_refund_records_the_amount_and_keeps_the_order_paid(self, client, paid):
        order, session = paid
        deliver(client, event("charge.refunded", charge(order, session["payment_intent"], refunded=Decimal("10.00"))))
        order.refresh_from_db()
        assert order.status == Order.Status.PAID and order.refunded == Decimal("10.00")

    def test_the_refund_is_found_by_its_payment_intent_without_metadata(self, client, paid):
        order, session = paid
        refunded = charge(order, session["payment_intent"], refunded=order.total) | {"metadata": {}}
        deliver(client, event("charge.refunded", refunded))
        order.refresh_from_db()
        assert order.status == Order.Status.REFUNDED

    def test_a_refund_arriving_before_the_completed_event_is_kept(self, client, stripe_api, card_order):
        order, payment = card_order
        session = stripe_api.session_pay(payment.reference)
        deliver(client, event("charge.refunded", charge(order, session["payment_intent"], refunded=order.total)))
        order.refresh_from_db()
        assert order.status == Order.Status.AWAITING_PAYMENT and order.refunded == order.total
        deliver(client, event("checkout.session.completed", session))
        order.refresh_from_db()
        assert order.status == Order.Status.REFUNDED and order.paid_at


class TestFailedPayment:
    def test_the_error_is_shown_on_the_order_page_and_the_order_stays_awaiting_payment(
            self, client, stripe_api, card_order):
        order, payment = card_order
        intent = {"id": f"pi_{secrets.token_hex(12)}", "object": "payment_intent",
                  "amount": minor(order.total, "EUR"), "currency": "eur", "status": "requires_payment_method",
                  "metadata": {"order_reference": order.reference},
                  "last_payment_error": {"type": "card_error", "code": "card_declined",
                                         "decline_code": "insufficient_funds",
                                         "message": "Your card has insufficient funds."}}
        response = deliver(client, event("payment_intent.payment_failed", intent))
        assert (response.status_code, response.content) == (200, b"failure noted")
        refreshed(order, payment)
        assert order.status == Order.Status.AWAITING_PAYMENT
        assert order.payment_error == "Your card has insufficient funds."
        assert payment.status == Payment.Status.STARTED  # the buyer may try another card on the same page
        page = client.get(order_url(order))
        assert page.status_code == 200 and "Your card has insufficient funds." in page.content.decode()


class TestEventsOfNoConcern:
    def test_an_event_of_an_unknown_type_is_answered_and_recorded_as_ignored(self, client, stripe_api, card_order):
        order, _payment = card_order
        customer = {"id": "cus_test_1", "object": "customer", "email": order.email,
                    "metadata": {"order_reference": order.reference}}
        response = deliver(client, event("customer.created", customer))
        assert (response.status_code, response.content) == (200, b"ignored")
        assert PaymentEvent.objects.get().kind == "customer.created"
        order.refresh_from_db()
        assert order.status == Order.Status.AWAITING_PAYMENT

    def test_an_event_naming_no_known_order_is_answered(self, client, stripe_api, card_order):
        order, payment = card_order
        stranger = dict(stripe_api.session_pay(payment.reference), id="cs_test_someone_elses",
                        client_reference_id="SE25-NOPE00", metadata={"order_reference": "SE25-NOPE00"},
                        payment_intent="pi_someone_elses")
        response = deliver(client, event("checkout.session.completed", stranger))
        assert (response.status_code, response.content) == (200, b"ignored: no order")
        assert PaymentEvent.objects.get().order is None
        order.refresh_from_db()
        assert order.status == Order.Status.AWAITING_PAYMENT


class TestAmountMismatch:
    @staticmethod
    def mismatched(session: dict, change: dict) -> dict:
        session = dict(session)
        if "amount_total" in change:
            session["amount_total"] += change["amount_total"]
        else:
            session.update(change)
        return session

    @pytest.mark.parametrize("change", [{"amount_total": -1}, {"currency": "usd"}])
    def test_a_payment_not_of_the_orders_total_is_put_on_hold_not_succeeded(
            self, client, stripe_api, card_order, django_capture_on_commit_callbacks, change):
        order, payment = card_order
        session = self.mismatched(stripe_api.session_pay(payment.reference), change)
        with django_capture_on_commit_callbacks(execute=True):
            response = deliver(client, event("checkout.session.completed", session))
        assert (response.status_code, response.content) == (200, b"on hold: amount mismatch")
        refreshed(order, payment)
        assert order.status == Order.Status.AWAITING_PAYMENT and not order.paid_at and not mail.outbox
        assert payment.status == Payment.Status.ON_HOLD
        assert "expected" in payment.hold_reason and str(order.total) in payment.hold_reason
        assert payment.charge_reference == session["payment_intent"]  # for staff to refund it

    def test_another_sessions_correct_completion_still_pays_the_order(self, client, stripe_api, card_order):
        order, first = card_order
        wrong = self.mismatched(stripe_api.session_pay(first.reference), {"amount_total": -100})
        assert deliver(client, event("checkout.session.completed", wrong)).content == b"on hold: amount mismatch"
        second = payment_start(order=order, success_url=SUCCESS_URL, cancel_url=CANCEL_URL)
        response = deliver(client, event("checkout.session.completed", stripe_api.session_pay(second.reference)))
        assert response.content == b"paid"  # not "second payment", nothing refunded
        refreshed(order, first, second)
        assert order.status == Order.Status.PAID
        assert (first.status, second.status) == (Payment.Status.ON_HOLD, Payment.Status.SUCCEEDED)
        assert not stripe_api.refunds

    def test_the_same_sessions_correct_completion_still_pays_the_order(self, client, stripe_api, card_order):
        order, payment = card_order
        session = stripe_api.session_pay(payment.reference)
        deliver(client, event("checkout.session.completed", self.mismatched(session, {"currency": "usd"})))
        response = deliver(client, event("checkout.session.completed", session))
        assert response.content == b"paid"  # not "already paid"
        refreshed(order, payment)
        assert order.status == Order.Status.PAID and payment.status == Payment.Status.SUCCEEDED

    def test_staff_see_the_payment_on_hold_and_its_reason_in_the_orders_admin(self, client, stripe_api, card_order):
        order, payment = card_order
        session = self.mismatched(stripe_api.session_pay(payment.reference), {"amount_total": -1})
        deliver(client, event("checkout.session.completed", session))
        payment.refresh_from_db()
        staff = UserFactory(username="chamber")
        staff.groups.add(Group.objects.get(name=CHAMBER_STAFF_GROUP))
        client.force_login(staff)
        html = client.get(reverse("orders:inspect", args=[order.pk])).content.decode()
        assert "on hold: to be reviewed by staff" in html and payment.hold_reason in html
        listed = client.get(reverse("orders:index"), {"payment_on_hold": "true"}).content.decode()
        assert order.reference in listed


class TestReleasingUnpaidOrders:
    def test_the_beat_task_expires_the_open_checkout_session(self, stripe_api, products, card_order):
        order, payment = card_order
        Order.objects.filter(pk=order.pk).update(pay_by=timezone.now() - timedelta(minutes=1))
        assert orders_release_unpaid_task.delay().get() == 1
        assert stripe_api.requests_to("POST", f"/v1/checkout/sessions/{payment.reference}/expire") == [{}]
        assert stripe_api.sessions[payment.reference]["status"] == "expired"
        refreshed(order, payment)
        assert order.status == Order.Status.CANCELLED and payment.status == Payment.Status.EXPIRED
        assert stock(products["rug"]) == 3

    def test_a_session_paid_as_the_time_ran_out_is_settled_by_its_webhook(
            self, client, stripe_api, products, card_order):
        order, payment = card_order
        session = stripe_api.session_pay(payment.reference)
        Order.objects.filter(pk=order.pk).update(pay_by=timezone.now() - timedelta(minutes=1))
        orders_release_unpaid_task.delay()  # Stripe refuses to expire a complete session
        assert stripe_api.sessions[payment.reference]["status"] == "complete"
        deliver(client, event("checkout.session.completed", session))
        refreshed(order, payment)
        assert order.status == Order.Status.PAID and payment.status == Payment.Status.SUCCEEDED
        assert stock(products["rug"]) == 1


class TestPayingTwice:
    def test_a_new_attempt_expires_the_open_one(self, client, stripe_api, products, card_order):
        order, first = card_order  # the buyer left this page open and asked to pay again
        second = payment_start(order=order, success_url=SUCCESS_URL, cancel_url=CANCEL_URL)
        assert second.reference != first.reference
        assert stripe_api.sessions[first.reference]["status"] == "expired"
        assert stripe_api.sessions[second.reference]["status"] == "open"

    def test_a_second_session_paid_for_a_paid_order_is_refunded(self, client, stripe_api, products, card_order):
        order, first = card_order
        # Paid, but its webhook is late: the buyer still sees "awaiting payment" and pays again.
        first_paid = stripe_api.session_pay(first.reference)
        second = payment_start(order=order, success_url=SUCCESS_URL, cancel_url=CANCEL_URL)
        second_paid = stripe_api.session_pay(second.reference)
        assert deliver(client, event("checkout.session.completed", second_paid)).content == b"paid"
        response = deliver(client, event("checkout.session.completed", first_paid))
        assert response.content == b"second payment: refunded"
        assert [r["payment_intent"] for r in stripe_api.refunds.values()] == [first_paid["payment_intent"]]
        refreshed(order, first)
        assert order.status == Order.Status.PAID and first.status == Payment.Status.REFUNDED
        # Stripe then tells of that refund: it is not a refund of the order.
        refund = {"id": "ch_second", "object": "charge", "payment_intent": first_paid["payment_intent"],
                  "amount": first_paid["amount_total"], "amount_refunded": first_paid["amount_total"],
                  "currency": first_paid["currency"], "metadata": {"order_reference": order.reference}}
        deliver(client, event("charge.refunded", refund))
        order.refresh_from_db()
        assert order.status == Order.Status.PAID and order.refunded == 0


class TestStripeAmountsFollowStripesDecimals:
    @pytest.mark.parametrize(("amount", "currency", "units"), [
        (Decimal("12.34"), "EUR", 1234), (Decimal("75000"), "XAF", 75000), (Decimal("1500"), "JPY", 1500),
        # Whole krónur and shillings, which Stripe still reads in hundredths.
        (Decimal("5"), "ISK", 500), (Decimal("7000"), "UGX", 700000),
        (Decimal("1.250"), "TND", 1250),
    ])
    def test_an_amount_goes_to_stripe_in_its_units_and_comes_back_the_same(self, amount, currency, units):
        assert stripe_minor_units(amount, currency) == units
        assert stripe_amount(units, currency.lower()) == amount

    def test_a_three_decimal_amount_stripe_cannot_take_exactly_is_refused_not_rounded(self):
        with pytest.raises(PaymentProviderError):
            stripe_minor_units(Decimal("1.255"), "TND")
