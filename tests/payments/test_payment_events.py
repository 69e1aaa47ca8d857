"""Payment events reach orders in one direction: payments record the event and tell whoever registered a
``PaymentEventReceiver`` (the orders app, when it is ready), which answers with a ``PaymentOutcome``."""

from decimal import Decimal

import pytest

from marketplace.orders.models import Order
from marketplace.orders.payment_events import OrderPaymentEvents
from marketplace.orders.services import order_paid
from marketplace.payments import events
from marketplace.payments.events import OutcomeReport, PaymentOutcome, payment_event_receiver
from marketplace.payments.interface import EventKind, ProviderEvent
from marketplace.payments.models import PaymentEvent
from marketplace.payments.services import payment_event_process
from tests.factories.catalog import product_create, seller_pages
from tests.factories.orders import europe_zone, order_for
from tests.factories.sellers import SellerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(tree):
    europe_zone()
    rug = product_create(seller_pages(tree, SellerFactory()), title="Rug", price="1234.50", stock=3)
    return order_for((rug, 1))


class RecordingReceiver(OrderPaymentEvents):
    """The orders' receiver, noting what payments told it."""

    def __init__(self):
        self.told = []

    def order_paid(self, **kwargs):
        self.told.append(("order_paid", kwargs["amount"], kwargs["currency"]))
        return super().order_paid(**kwargs)

    def order_refunded(self, **kwargs):
        self.told.append(("order_refunded", kwargs["refunded_total"], kwargs["second_payment"]))
        return super().order_refunded(**kwargs)


@pytest.fixture
def recording():
    registered = payment_event_receiver()
    receiver = RecordingReceiver()
    events.payment_event_receiver_register(receiver)
    yield receiver
    events.payment_event_receiver_register(registered)


def completed(order, event_id="evt_1", amount=None) -> ProviderEvent:
    return ProviderEvent(event_id=event_id, kind=EventKind.COMPLETED, provider_type="payment.completed",
                         order_reference=order.reference, payment_reference=f"pay-{order.reference}",
                         amount=order.total if amount is None else amount, currency=order.currency)


class TestOneDirection:
    def test_the_orders_app_registers_its_receiver_when_ready(self):
        assert isinstance(payment_event_receiver(), OrderPaymentEvents)

    def test_payments_tell_the_registered_receiver_and_record_its_outcome(self, order, recording):
        assert payment_event_process(provider_name="offline", event=completed(order)) == PaymentOutcome.PAID
        assert recording.told == [("order_paid", order.total, order.currency)]
        assert PaymentEvent.objects.get(event_id="evt_1").outcome == PaymentOutcome.PAID.value
        order.refresh_from_db()
        assert order.status == Order.Status.PAID

    def test_a_repeated_event_tells_the_receiver_nothing(self, order, recording):
        payment_event_process(provider_name="offline", event=completed(order))
        assert payment_event_process(provider_name="offline", event=completed(order)) == PaymentOutcome.DUPLICATE
        assert len(recording.told) == 1

    def test_an_amount_that_is_not_the_total_is_held_without_telling_the_receiver(self, order, recording):
        outcome = payment_event_process(provider_name="offline", event=completed(order, amount=Decimal("1.00")))
        assert outcome == PaymentOutcome.ON_HOLD and recording.told == []

    def test_a_refund_names_the_running_total_and_whether_payments_gave_it_back_themselves(self, order, recording):
        payment_event_process(provider_name="offline", event=completed(order))
        refund = ProviderEvent(event_id="evt_2", kind=EventKind.REFUNDED, provider_type="payment.refunded",
                               order_reference=order.reference, amount=Decimal("10.00"), currency=order.currency)
        assert payment_event_process(provider_name="offline", event=refund) == "refund recorded"
        assert recording.told[-1] == ("order_refunded", Decimal("10.00"), False)


class TestOutcomes:
    def test_the_order_services_answer_with_the_enum(self, order):
        assert order_paid(order=order, amount=order.total, currency=order.currency) is PaymentOutcome.PAID
        assert order_paid(order=order, amount=order.total, currency=order.currency) is PaymentOutcome.ALREADY_PAID

    def test_a_report_reads_as_the_outcome_and_its_detail(self):
        assert str(OutcomeReport(PaymentOutcome.REFUND_RECORDED, "2 part(s) cancelled")) == \
            "refund recorded: 2 part(s) cancelled"
        assert str(OutcomeReport(PaymentOutcome.IGNORED)) == "ignored"
