"""Bank transfers as banks make them: staff record the amount and currency received (several receipts
add up), within a tolerance for bank fees the order is paid, short by more the buyer is asked for the
rest; each account takes its currencies, and the order page never promises dispatch before payment."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.formats import date_format
from wagtail.models import ModelLogEntry

from currency.selectors import exchange_rate, money_round
from frontend.templatetags.souk_tags import money
from marketplace.orders.models import Order, SellerOrder
from marketplace.orders.selectors import order_url
from marketplace.payments.models import BankAccount, BankTransferSettings, Payment
from marketplace.payments.selectors import transfer_instructions, transfer_tolerance
from marketplace.payments.services import bank_transfer_record
from marketplace.shipping.models import CountrySettings
from outbox.services import outbox_relay
from sellers.roles import CHAMBER_STAFF_GROUP
from tests.factories.catalog import product_create, seller_pages
from tests.factories.orders import europe_zone, order_for
from tests.factories.sellers import SellerFactory, SellerMemberFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rug(tree):
    europe_zone()
    return product_create(seller_pages(tree, SellerFactory(legal_name="Coopérative Tazenakht")), title="Rug", stock=3)


@pytest.fixture
def staff():
    user = UserFactory(username="chamber")
    user.groups.add(Group.objects.get(name=CHAMBER_STAFF_GROUP))
    return user


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def tolerance_set(percent="1", fixed="50"):
    config = BankTransferSettings.load()
    config.tolerance_percent, config.tolerance_fixed = Decimal(percent), Decimal(fixed)
    config.save()


def record(order, amount, currency="EUR", by=None, **kwargs):
    return bank_transfer_record(order=order, amount=Decimal(amount), currency=currency, by=by, **kwargs)


class TestTolerance:
    def test_the_tolerance_is_the_larger_of_the_percentage_and_the_fixed_amount_in_the_base_currency(self, rug):
        order = order_for((rug, 1))  # in EUR
        tolerance_set(percent="1", fixed="50")
        fixed_in_eur = money_round(Decimal(50) * exchange_rate("MAD", "EUR"), "EUR")
        assert transfer_tolerance(order=order) == max(fixed_in_eur, money_round(order.total / 100, "EUR"))
        tolerance_set(percent="10", fixed="0")
        assert transfer_tolerance(order=order) == money_round(order.total / 10, "EUR")

    def test_a_transfer_short_by_bank_fees_within_the_tolerance_pays_and_records_the_difference(self, rug, staff):
        order = order_for((rug, 1))
        tolerance_set(percent="0", fixed="50")  # about 4.6 EUR
        assert record(order, order.total - Decimal("3.00"), by=staff) == "paid"
        order.refresh_from_db()
        assert order.status == Order.Status.PAID and order.payment_difference == Decimal("3.00")
        payment = order.payments.get()
        assert payment.status == Payment.Status.SUCCEEDED and payment.amount == order.total - Decimal("3.00")
        assert payment.recorded_by == "chamber"
        assert order.seller_orders.count() == 1  # routed to the seller as any paid order

    def test_staff_changing_the_setting_changes_what_pays(self, rug, staff):
        order = order_for((rug, 1))
        tolerance_set(percent="0", fixed="0")
        assert record(order, order.total - Decimal("0.50"), by=staff) == "partial"


class TestShortfall:
    def test_a_transfer_short_beyond_the_tolerance_asks_the_buyer_for_the_rest(self, rug, staff, client):
        order = order_for((rug, 1), now=datetime(2026, 3, 2, 9, tzinfo=ZoneInfo("UTC")))
        tolerance_set(percent="0", fixed="10")
        outbox_relay()
        mail.outbox.clear()
        assert record(order, "50.00", by=staff) == "partial"
        order.refresh_from_db()
        assert order.status == Order.Status.AWAITING_PAYMENT and order.received == Decimal("50.00")
        assert order.pay_by > datetime(2026, 3, 4, 9, tzinfo=ZoneInfo("UTC"))  # held again for the rest
        outbox_relay()
        (email,) = mail.outbox
        rest = order.total - Decimal("50.00")
        assert order.reference in email.body and money(rest, "EUR") in email.body
        assert "transfer the rest" in email.body
        html = client.get(order_url(order)).content.decode()
        assert 'data-order-status="partly_paid"' in html and "Still to pay" in html

    def test_receipts_add_up_until_the_order_is_paid(self, rug, staff):
        order = order_for((rug, 1))
        tolerance_set(percent="0", fixed="0")
        half = money_round(order.total / 2, "EUR")
        assert record(order, half, by=staff, bank_reference="VIR-1") == "partial"
        assert record(order, order.total - half, by=staff, bank_reference="VIR-2") == "paid"
        order.refresh_from_db()
        assert order.status == Order.Status.PAID and order.received == order.total and order.payment_difference == 0
        assert list(order.bank_receipts.values_list("bank_reference", flat=True)) == ["VIR-1", "VIR-2"]

    def test_a_receipt_in_mad_on_a_euro_order_is_converted_at_the_stored_rate(self, rug, staff):
        order = order_for((rug, 1))
        tolerance_set(percent="0", fixed="0")
        in_mad = money_round(order.total * exchange_rate("EUR", "MAD"), "MAD") + 1  # a dirham over: rounding
        assert record(order, in_mad, currency="MAD", by=staff) == "paid"
        receipt = order.bank_receipts.get()
        assert receipt.currency == "MAD" and receipt.amount == in_mad
        assert receipt.amount_in_order_currency == money_round(in_mad * exchange_rate("MAD", "EUR"), "EUR")

    def test_an_overpayment_pays_and_is_flagged_for_staff(self, rug, staff, staff_client):
        order = order_for((rug, 1))
        assert record(order, order.total + Decimal("40"), by=staff) == "paid"
        order.refresh_from_db()
        assert order.overpaid and order.payment_difference == Decimal("-40.00")
        listing = staff_client.get(reverse("orders:index"), {"overpaid": "true"}).content.decode()
        assert order.reference in listing
        inspect = staff_client.get(reverse("orders:inspect", args=[order.pk])).content.decode()
        assert "data-overpaid" in inspect

    def test_money_arriving_after_payment_is_recorded_as_extra(self, rug, staff):
        order = order_for((rug, 1))
        record(order, order.total, by=staff)
        assert record(order, "10", by=staff) == "extra"
        order.refresh_from_db()
        assert order.overpaid and order.bank_receipts.count() == 2

    def test_every_receipt_is_in_the_audit_log(self, rug, staff):
        order = order_for((rug, 1))
        record(order, "20", by=staff, bank_reference="REF-77")
        entry = ModelLogEntry.objects.get(action="marketplace.bank_transfer_received", object_id=str(order.pk))
        assert entry.user == staff and entry.data["bank_reference"] == "REF-77" and entry.data["amount"] == "20.00"


class TestRefused:
    def test_a_seller_may_not_record_a_transfer(self, rug):
        order = order_for((rug, 1))
        member = SellerMemberFactory(seller=rug.seller).user
        with pytest.raises(PermissionDenied):
            record(order, order.total, by=member)

    @pytest.mark.parametrize(("amount", "currency", "field"), [
        ("0", "EUR", "amount"), ("-10", "EUR", "amount"), ("NaN", "EUR", "amount"),
        ("1" * 16, "EUR", "amount"), ("1e999999", "EUR", "amount"), ("10", "XXX", "currency"), ("10", "", "currency"),
    ])
    def test_no_money_or_a_currency_no_account_takes_is_refused(self, rug, staff, amount, currency, field):
        order = order_for((rug, 1))
        with pytest.raises(ValidationError) as error:
            record(order, amount, currency=currency, by=staff)
        assert field in error.value.message_dict
        assert not order.bank_receipts.exists()

    def test_money_received_tomorrow_is_refused(self, rug, staff):
        order = order_for((rug, 1))
        with pytest.raises(ValidationError):
            record(order, order.total, by=staff,
                   received_on=datetime.now(ZoneInfo("UTC")).date() + timedelta(days=3))

    @pytest.mark.parametrize("data", [
        {"amount": "1e999999", "currency": "EUR"}, {"amount": "9" * 20, "currency": "EUR"},
        {"amount": "abc", "currency": "EUR"}, {"amount": "10", "currency": "ZZZ"},
        {"amount": "10", "currency": "EUR", "received_on": "2999-01-01"},
        {"amount": "10", "currency": "EUR", "received_on": "not a date"},
        {"amount": "10\x00", "currency": "EUR"}, {"amount": "10", "currency": "EUR", "bank_reference": "x" * 500},
    ])
    def test_hostile_input_in_the_admin_form_gets_form_errors(self, rug, staff_client, data):
        order = order_for((rug, 1))
        response = staff_client.post(reverse("orders:record_transfer", args=[order.pk]), {**data, "confirm": "on"})
        assert response.status_code == 200
        assert not order.bank_receipts.exists()


class TestAccounts:
    def test_the_buyer_is_shown_an_account_that_takes_the_orders_currency(self, rug):
        BankAccount.objects.create(bank_name="Bank MAD", holder="Chamber", iban="MA64 0000 1111", currencies="MAD")
        BankAccount.objects.create(bank_name="Bank EUR", holder="Chamber", iban="FR76 3000 4000", currencies="EUR, USD")
        order = order_for((rug, 1))
        instructions = transfer_instructions(order=order)
        assert instructions["bank_name"] == "Bank EUR" and instructions["currency"] == "EUR"
        assert instructions["amount"] == order.total and not instructions["converted"]

    def test_without_an_account_in_its_currency_the_amount_is_converted_and_said_so(self, rug, client):
        BankAccount.objects.create(bank_name="Bank MAD", holder="Chamber", iban="MA64 0000 1111", currencies="MAD")
        order = order_for((rug, 1))
        instructions = transfer_instructions(order=order)
        assert instructions["bank_name"] == "Bank MAD" and instructions["currency"] == "MAD" and instructions["converted"]
        assert instructions["amount"] == money_round(order.total * exchange_rate("EUR", "MAD"), "MAD")
        html = client.get(order_url(order)).content.decode()
        assert "data-transfer-converted" in html and "MA64 0000 1111" in html

    def test_a_mad_order_on_the_settings_account_asks_for_mad(self, rug):
        order = order_for((rug, 1), currency="MAD")  # the fallback account (OPTIONS) takes the base currency
        instructions = transfer_instructions(order=order, options={"IBAN": "MA64 1", "BANK_NAME": "Demo"})
        assert instructions["currency"] == "MAD" and not instructions["converted"]

    def test_an_account_names_its_currencies_as_iso_codes(self):
        account = BankAccount(bank_name="B", holder="H", iban="MA64 0000 1111", currencies="mad, euro")
        with pytest.raises(ValidationError):
            account.full_clean()

    def test_sellers_reach_neither_the_accounts_nor_the_settings_nor_the_transfer_form(self, rug, client, staff_client):
        account = BankAccount.objects.create(bank_name="Bank MAD", holder="Chamber", iban="MA64 0000 1111",
                                             currencies="MAD")
        order = order_for((rug, 1))
        urls = [reverse("wagtailsnippets_payments_bankaccount:list"),
                reverse("wagtailsnippets_payments_bankaccount:edit", args=[account.pk]),
                reverse("wagtailsettings:edit", args=["payments", "banktransfersettings",
                                                      BankTransferSettings.load().pk]),
                reverse("wagtailsettings:edit", args=["shipping", "countrysettings", CountrySettings.load().pk]),
                reverse("orders:record_transfer", args=[order.pk])]
        for url in urls:
            assert staff_client.get(url).status_code == 200, url
        client.force_login(SellerMemberFactory(seller=rug.seller).user)
        for url in urls:
            response = client.get(url)
            assert response.status_code in (302, 403), url
            assert "MA64 0000 1111" not in response.content.decode()


class TestDatesOnTheOrderPage:
    PLACED = datetime(2026, 3, 2, 9, tzinfo=ZoneInfo("UTC"))

    def test_an_unpaid_order_never_promises_dispatch_before_its_payment_deadline(self, rug, client):
        order = order_for((rug, 1), now=self.PLACED)
        order.placed_at = self.PLACED
        order.save(update_fields=["placed_at"])
        part = order.shipping_parts.get()
        assert part.dispatch_by < order.pay_by.date()  # as quoted: ready the next day
        html = client.get(order_url(order)).content.decode()
        shift = (order.pay_by.date() - self.PLACED.date()).days
        expected_delivery = order.delivery_by + timedelta(days=shift)
        assert f'data-delivery-by="{expected_delivery:%Y-%m-%d}"' in html
        assert date_format(part.dispatch_by + timedelta(days=shift), "DATE_FORMAT") in html
        assert date_format(part.dispatch_by, "DATE_FORMAT") not in html

    def test_paying_later_moves_the_dispatch_dates_to_count_from_the_payment(self, rug, staff):
        order = order_for((rug, 1), now=self.PLACED)
        order.placed_at = self.PLACED
        order.save(update_fields=["placed_at"])
        quoted = order.shipping_parts.get().dispatch_by
        paid_on = self.PLACED + timedelta(days=2)
        record(order, order.total, by=staff, now=paid_on, received_on=paid_on.date())
        assert SellerOrder.objects.get(order=order).dispatch_by == quoted + timedelta(days=2)
        assert order.shipping_parts.get().dispatch_by == quoted + timedelta(days=2)
