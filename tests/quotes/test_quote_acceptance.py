"""An accepted quote becomes an order at the quoted prices, paid as a deposit then the balance, that flows
through the ordinary split and fulfilment; expired, withdrawn or settled quotes cannot be accepted; only
the asking company's users accept."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from django.utils import timezone

from marketplace.orders.admin import order_groups_ensure
from marketplace.orders.models import Order, SellerOrder
from marketplace.orders.services import (
    order_paid,
    seller_order_accept,
    seller_order_decline,
    seller_order_pack,
    seller_order_refund_record,
    seller_order_ship,
)
from marketplace.payments.events import PaymentOutcome
from marketplace.quotes.models import Quote, QuoteThread
from marketplace.quotes.services import quote_accept
from marketplace.trade.models import TradeCompany
from tests.factories.accounts import chamber_staff_create
from tests.factories.quotes import AMSTERDAM, quote_for, request_for_quote, seller_with_member
from tests.factories.trade import trade_buyer_create

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def quoted():
    """A Safi pottery's bulk quote for 300 tagines to a Dutch shop, and the pottery's member."""
    safi, potter = seller_with_member(legal_name="Coopérative Poterie Safi")
    request = request_for_quote(sellers=[safi])
    thread = request.threads.get()
    return quote_for(thread, potter), potter


def accept(quote, by=None, **fields):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return quote_accept(quote=quote, by=by or quote.thread.request.created_by, address=AMSTERDAM,
                            currency=fields.pop("currency", "EUR"), provider_name="offline", **fields)


class TestAcceptance:
    @pytest.mark.usefixtures("sample_rules")
    def test_the_order_carries_the_quoted_prices_deposit_and_reverse_charge(self, quoted):
        quote, _potter = quoted
        order = accept(quote)
        quote.refresh_from_db()
        assert quote.status == Quote.Status.ACCEPTED and quote.order == order
        assert quote.thread.status == QuoteThread.Status.ACCEPTED
        line = order.lines.get()
        assert (line.quantity, line.unit_price_base, line.hs_code, line.seller_id) == (
            300, Decimal("180.00"), "6912.00", quote.thread.seller_id)
        assert order.subtotal_base == Decimal("54000.00") and order.shipping_base == Decimal("2400.00")
        assert order.total_base == Decimal("56400.00")
        assert order.deposit == (order.total * Decimal("0.3")).quantize(Decimal("0.01"))
        assert order.amount_due_now == order.deposit
        assert order.trade_company_id == quote.thread.request.company_id
        assert order.reverse_charge and order.buyer_vat_number == "NL004495445B01"
        assert not order.charges.exists()

    def test_without_a_rule_allowing_it_there_is_no_reverse_charge(self, quoted):
        quote, _potter = quoted
        assert not accept(quote).reverse_charge

    def test_the_deposit_routes_it_to_the_seller_who_cannot_ship_before_the_balance(self, quoted):
        quote, potter = quoted
        order = accept(quote)
        with TestCase.captureOnCommitCallbacks(execute=True):
            assert order_paid(order=order, amount=order.deposit, currency="EUR") == PaymentOutcome.PAID
        part = SellerOrder.objects.get(order=order)
        with TestCase.captureOnCommitCallbacks(execute=True):
            seller_order_accept(seller_order=part, by=potter)
            seller_order_pack(seller_order=part, by=potter, weight_grams=750_000 // 2, parcels=20)
        with pytest.raises(ValidationError):
            seller_order_ship(seller_order=part, by=potter, carrier="CTM", tracking_number="CTM1")
        order.refresh_from_db()
        with TestCase.captureOnCommitCallbacks(execute=True):
            assert order_paid(order=order, amount=order.total - order.deposit, currency="EUR") == PaymentOutcome.PAID
            seller_order_ship(seller_order=part, by=potter, carrier="CTM", tracking_number="CTM1")
        assert SellerOrder.objects.get(pk=part.pk).status == SellerOrder.Status.SHIPPED

    def test_a_sample_quote_is_paid_in_full_and_leaves_the_bulk_quote_open(self, quoted):
        quote, potter = quoted
        sample = quote_for(quote.thread, potter, kind="sample", quantity=2, unit_price="250.00", shipping="300.00",
                           sample_credited=True)
        order = accept(sample)
        assert order.deposit == 0 and order.amount_due_now == order.total
        quote.refresh_from_db()
        assert quote.status == Quote.Status.OPEN
        assert QuoteThread.objects.get(pk=quote.thread_id).status == QuoteThread.Status.QUOTED
        accept(quote)
        assert QuoteThread.objects.get(pk=quote.thread_id).status == QuoteThread.Status.ACCEPTED

    def test_an_expired_quote_cannot_be_accepted(self, quoted):
        quote, _potter = quoted
        with pytest.raises(ValidationError) as refused:
            accept(quote, now=timezone.now() + timedelta(days=31))
        assert refused.value.code == "expired"
        assert not Order.objects.exists()
        assert Quote.objects.get(pk=quote.pk).status == Quote.Status.OPEN

    def test_a_quote_is_accepted_once(self, quoted):
        quote, _potter = quoted
        accept(quote)
        with pytest.raises(ValidationError) as refused:
            accept(quote)
        assert refused.value.code == "accepted"
        assert Order.objects.count() == 1

    @pytest.mark.parametrize("status", [Quote.Status.WITHDRAWN, Quote.Status.REJECTED, Quote.Status.SUPERSEDED,
                                        Quote.Status.EXPIRED])
    def test_a_quote_no_longer_open_cannot_be_accepted(self, quoted, status):
        quote, _potter = quoted
        Quote.objects.filter(pk=quote.pk).update(status=status)
        with pytest.raises(ValidationError):
            accept(quote)
        assert not Order.objects.exists()

    def test_only_the_asking_companys_users_accept_and_only_while_verified(self, quoted):
        quote, potter = quoted
        company = quote.thread.request.company
        colleague = trade_buyer_create(company, role="buyer")
        for outsider in (potter, trade_buyer_create()):
            with pytest.raises(PermissionDenied):
                accept(quote, by=outsider)
        TradeCompany.objects.filter(pk=company.pk).update(status=TradeCompany.Status.SUSPENDED)
        quote.thread.request.company.refresh_from_db()
        with pytest.raises(PermissionDenied):
            accept(Quote.objects.select_related("thread__request__company").get(pk=quote.pk), by=colleague)
        TradeCompany.objects.filter(pk=company.pk).update(status=TradeCompany.Status.VERIFIED)
        order = accept(Quote.objects.select_related("thread__request__company").get(pk=quote.pk), by=colleague)
        assert order.user == colleague

    def test_a_bad_address_refuses_the_acceptance_and_leaves_the_quote_open(self, quoted):
        quote, _potter = quoted
        from dataclasses import replace
        with pytest.raises(ValidationError), TestCase.captureOnCommitCallbacks(execute=True):
            quote_accept(quote=quote, by=quote.thread.request.created_by,
                         address=replace(AMSTERDAM, postal_code="not a code", city=""), currency="EUR",
                         provider_name="offline")
        assert Quote.objects.get(pk=quote.pk).status == Quote.Status.OPEN and not Order.objects.exists()


class TestDeclinedBeforeTheBalance:
    def test_the_buyer_gets_the_deposit_back_and_no_balance_is_asked(self, quoted):
        quote, potter = quoted
        order = accept(quote)
        with TestCase.captureOnCommitCallbacks(execute=True):
            order_paid(order=order, amount=order.deposit, currency="EUR")
            part = seller_order_decline(seller_order=SellerOrder.objects.get(order=order), by=potter,
                                        reason="Our kiln broke down")
        order_groups_ensure()
        with TestCase.captureOnCommitCallbacks(execute=True):
            part = seller_order_refund_record(seller_order=part, by=chamber_staff_create(), reference="TRF-1")
        order.refresh_from_db()
        assert part.refunded == order.deposit
        assert order.refunded == order.deposit and order.status == Order.Status.REFUNDED
        assert not order.balance_open and order.amount_due_now == 0


class TestSampleCredit:
    def test_paid_credited_samples_come_off_the_bulk_orders_prices(self, quoted):
        quote, potter = quoted
        sample = quote_for(quote.thread, potter, kind="sample", quantity=2, unit_price="250.00", shipping="300.00",
                           sample_credited=True)
        sample_order = accept(sample)
        with TestCase.captureOnCommitCallbacks(execute=True):
            order_paid(order=sample_order, amount=sample_order.total, currency="EUR")
        order = accept(quote)
        quote.refresh_from_db()
        line = order.lines.get()
        assert quote.sample_credit_base == Decimal("498.00")  # 500.00 shared over 300 units: 1.66 each
        assert line.unit_price_base == Decimal("178.34")
        assert order.subtotal_base == Decimal("54000.00") - quote.sample_credit_base

    @pytest.mark.parametrize("credited, paid", [(False, True), (True, False)])
    def test_samples_not_credited_or_not_paid_take_nothing_off(self, quoted, credited, paid):
        quote, potter = quoted
        sample = quote_for(quote.thread, potter, kind="sample", quantity=2, unit_price="250.00", shipping="300.00",
                           sample_credited=credited)
        sample_order = accept(sample)
        if paid:
            with TestCase.captureOnCommitCallbacks(execute=True):
                order_paid(order=sample_order, amount=sample_order.total, currency="EUR")
        order = accept(quote)
        assert order.subtotal_base == Decimal("54000.00")
        assert Quote.objects.get(pk=quote.pk).sample_credit_base == 0


@pytest.mark.parametrize("credit, expected_prices, applied", [
    ("0", ["10.00", "5.00"], "0"),
    ("30", ["9.00", "4.50"], "30.00"),  # 20 and 10 of it, in proportion to 200 and 100
    ("10", ["9.67", "4.84"], "9.80"),  # a cent per unit short at most
    ("1000", ["0.00", "0.00"], "300.00"),  # never below zero
])
def test_credited_unit_prices(credit, expected_prices, applied):
    from types import SimpleNamespace

    from marketplace.quotes.services import credited_unit_prices

    lines = [SimpleNamespace(unit_price_base=Decimal("10.00"), quantity=20),
             SimpleNamespace(unit_price_base=Decimal("5.00"), quantity=20)]
    prices, total = credited_unit_prices(lines, Decimal(credit))
    assert prices == [Decimal(price) for price in expected_prices] and total == Decimal(applied)
