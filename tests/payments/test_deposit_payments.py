"""Card payments of an order paid in two instalments, against the local Stripe stand-in: each instalment is
one Checkout line of its amount, the balance is a legitimate second payment, while a repeated event, a
second payment of the same instalment or a wrong amount never pays twice."""

import copy

import pytest
from django.conf import settings as django_settings
from django.core import mail

from currency.selectors import money_format, money_round
from marketplace.orders.models import Order
from marketplace.orders.selectors import order_url
from marketplace.payments.models import Payment, PaymentEvent
from marketplace.payments.services import payment_start
from tests.factories.catalog import product_create, seller_pages
from tests.factories.orders import europe_zone, order_for
from tests.factories.sellers import SellerFactory
from tests.payments.test_stripe_payments import CANCEL_URL, SUCCESS_URL, WEBHOOK_SECRET, deliver, event, minor
from tests.stripe_standin import StripeStandIn

pytestmark = pytest.mark.django_db


@pytest.fixture
def card(settings, tree):
    """The Stripe stand-in as the card provider, and a rug to order."""
    europe_zone()
    with StripeStandIn() as standin:
        settings.PAYMENT_PROVIDERS = {
            "stripe": {"BACKEND": "marketplace.payments.stripe_provider.StripeProvider",
                       "OPTIONS": {"SECRET_KEY": "sk_test_standin", "WEBHOOK_SECRET": WEBHOOK_SECRET,
                                   "API_BASE": standin.url, "NETWORK_RETRIES": 0}},
            "offline": copy.deepcopy(django_settings.PAYMENT_PROVIDERS["offline"]),
        }
        rug = product_create(seller_pages(tree, SellerFactory()), title="Rug", price="1234.50", stock=3)
        yield standin, rug


def deposit_order(rug, percent=30) -> Order:
    order = order_for((rug, 2), provider="stripe")
    Order.objects.filter(pk=order.pk).update(deposit=money_round(order.total * percent / 100, order.currency))
    order.refresh_from_db()
    return order


def start(order) -> Payment:
    return payment_start(order=order, success_url=SUCCESS_URL, cancel_url=CANCEL_URL)


def completed(client, standin, payment):
    return deliver(client, event("checkout.session.completed", standin.session_pay(payment.reference)))


@pytest.fixture
def deposit_paid(client, card):
    """A deposit order whose deposit was paid by card."""
    standin, rug = card
    order = deposit_order(rug)
    payment = start(order)
    assert completed(client, standin, payment).content == b"paid"
    order.refresh_from_db()
    return order, payment


class TestTheCheckoutSession:
    def test_the_deposit_is_one_line_of_its_amount(self, card):
        standin, rug = card
        order = deposit_order(rug)
        payment = start(order)
        [line] = standin.requests_to("POST", "/v1/checkout/sessions")[0]["line_items"]
        assert line["price_data"]["product_data"]["name"] == f"Deposit (30 %) of order {order.reference}"
        assert (int(line["quantity"]), int(line["price_data"]["unit_amount"])) == (1, minor(order.deposit, "EUR"))
        assert payment.amount == order.deposit

    def test_the_balance_is_one_line_of_its_amount(self, card, deposit_paid):
        standin, _rug = card
        order, _deposit = deposit_paid
        payment = start(order)
        [line] = standin.requests_to("POST", "/v1/checkout/sessions")[-1]["line_items"]
        assert line["price_data"]["product_data"]["name"] == f"Balance of order {order.reference}"
        assert int(line["price_data"]["unit_amount"]) == minor(order.total - order.deposit, "EUR")
        assert payment.amount == order.total - order.deposit

    def test_an_order_without_deposit_still_lists_its_products(self, card):
        standin, rug = card
        order = order_for((rug, 2), provider="stripe")
        start(order)
        lines = standin.requests_to("POST", "/v1/checkout/sessions")[0]["line_items"]
        assert [(line["price_data"]["product_data"]["name"], int(line["quantity"])) for line in lines] == [
            (order.lines.get().title, 2), ("Shipping", 1)]


class TestPayingTheInstalments:
    def test_the_deposit_pays_and_splits_then_the_balance_is_a_second_legitimate_payment(
            self, client, card, deposit_paid, django_capture_on_commit_callbacks):
        standin, _rug = card
        order, deposit = deposit_paid
        assert order.status == Order.Status.PAID and order.split_at and order.balance_open
        balance = start(order)
        with django_capture_on_commit_callbacks(execute=True):
            assert completed(client, standin, balance).content == b"paid"
        order.refresh_from_db()
        deposit.refresh_from_db()
        balance.refresh_from_db()
        assert order.balance_paid_at and not order.balance_open
        assert (deposit.status, balance.status) == (Payment.Status.SUCCEEDED, Payment.Status.SUCCEEDED)
        assert not standin.refunds
        assert [m.subject for m in mail.outbox if m.to == [order.email]] == [
            f"Order {order.reference}: balance received"]

    def test_a_repeated_deposit_event_acts_once(self, client, card):
        standin, rug = card
        order = deposit_order(rug)
        payment = start(order)
        sent = event("checkout.session.completed", standin.session_pay(payment.reference))
        assert deliver(client, sent).content == b"paid"
        assert deliver(client, sent).content == b"duplicate"
        order.refresh_from_db()
        assert order.seller_orders.count() == 1 and order.balance_open and not standin.refunds

    def test_a_second_session_of_the_deposit_is_held_not_taken_for_the_balance(self, client, card):
        standin, rug = card
        order = deposit_order(rug)
        first = start(order)
        first_paid = standin.session_pay(first.reference)  # its webhook is late: the buyer pays again
        second = start(order)
        assert completed(client, standin, second).content == b"paid"
        assert deliver(client, event("checkout.session.completed", first_paid)).content == b"on hold: amount mismatch"
        order.refresh_from_db()
        first.refresh_from_db()
        assert order.balance_open and order.balance_paid_at is None
        assert first.status == Payment.Status.ON_HOLD and money_format(order.total - order.deposit, "EUR") in \
            first.hold_reason

    def test_a_second_payment_of_the_balance_is_refunded(self, client, card, deposit_paid):
        standin, _rug = card
        order, _deposit = deposit_paid
        first = start(order)
        first_paid = standin.session_pay(first.reference)
        second = start(order)
        assert completed(client, standin, second).content == b"paid"
        response = deliver(client, event("checkout.session.completed", first_paid))
        assert response.content == b"second payment: refunded"
        assert [r["payment_intent"] for r in standin.refunds.values()] == [first_paid["payment_intent"]]

    def test_a_wrong_amount_for_the_deposit_is_held_and_pays_nothing(self, client, card):
        standin, rug = card
        order = deposit_order(rug)
        payment = start(order)
        session = dict(standin.session_pay(payment.reference), amount_total=minor(order.total, "EUR"))
        assert deliver(client, event("checkout.session.completed", session)).content == b"on hold: amount mismatch"
        order.refresh_from_db()
        payment.refresh_from_db()
        assert order.status == Order.Status.AWAITING_PAYMENT and not order.split_at
        assert payment.status == Payment.Status.ON_HOLD
        assert money_format(order.deposit, "EUR") in payment.hold_reason
        assert PaymentEvent.objects.get().outcome == "on hold: amount mismatch"


class TestThePayTheBalanceButton:
    def test_the_order_page_offers_the_balance_and_its_button_opens_a_balance_session(
            self, client, card, deposit_paid):
        standin, _rug = card
        order, _deposit = deposit_paid
        html = client.get(order_url(order)).content.decode()
        assert "data-pay-balance" in html
        assert f"Pay the balance ({money_format(order.total - order.deposit, 'EUR')})" in html
        response = client.post(f"{order_url(order)}pay/")
        assert response.status_code == 302
        opened = Payment.objects.filter(order=order, status=Payment.Status.STARTED).get()
        assert response["Location"] == opened.redirect_url and opened.amount == order.total - order.deposit
        [line] = standin.requests_to("POST", "/v1/checkout/sessions")[-1]["line_items"]
        assert line["price_data"]["product_data"]["name"] == f"Balance of order {order.reference}"
