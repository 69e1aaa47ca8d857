"""Orders paid in two instalments (an accepted wholesale quote): the deposit pays the order and sends it to
its sellers, who accept and pack; the balance is asked for when a part is packed and must be paid before
any part ships. An order with no deposit is paid in one go, as always."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from currency.selectors import money_format, money_round
from marketplace.orders.models import Order, SellerOrder
from marketplace.orders.selectors import order_url
from marketplace.orders.services import (
    order_paid,
    seller_order_accept,
    seller_order_deliver,
    seller_order_pack,
    seller_order_ship,
)
from marketplace.payments.selectors import instalment_name, transfer_instructions
from marketplace.payments.services import bank_transfer_record, payment_start
from sellers.roles import CHAMBER_STAFF_GROUP
from tests.factories.catalog import product_create, seller_pages
from tests.factories.orders import europe_zone, order_for
from tests.factories.sellers import SellerFactory, SellerMemberFactory, UserFactory

pytestmark = pytest.mark.django_db
Status = SellerOrder.Status


@pytest.fixture
def shop(tree):
    """A seller, its member (with admin access, as verification gives it), a rug, and chamber staff."""
    europe_zone()
    seller = SellerFactory(legal_name="Cooperative A")
    member = SellerMemberFactory(seller=seller).user
    member.user_permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin",
                                                       codename="access_admin"))
    staff = UserFactory(username="chamber")
    staff.groups.add(Group.objects.get(name=CHAMBER_STAFF_GROUP))
    rug = product_create(seller_pages(tree, seller), title="Rug", price="1234.50", stock=5)
    return {"seller": seller, "member": member, "staff": staff, "rug": rug}


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a service as a request would: what it queues on commit (emails) runs after it."""
    def run(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)
    return run


def with_deposit(order: Order, percent: int = 30) -> Order:
    """What an accepted quote does to its order: a deposit of ``percent`` of the total."""
    deposit = money_round(order.total * percent / 100, order.currency)
    Order.objects.filter(pk=order.pk).update(
        deposit=deposit, deposit_base=money_round(order.total_base * percent / 100, order.base_currency))
    order.refresh_from_db()
    return order


def deposit_order(shop, percent: int = 30, **kwargs) -> Order:
    return with_deposit(order_for((shop["rug"], 2), **kwargs), percent)


def paid_deposit(shop, **kwargs) -> Order:
    order = deposit_order(shop, **kwargs)
    assert order_paid(order=order, amount=order.deposit, currency=order.currency) == "paid"
    order.refresh_from_db()
    return order


def packed(order, member) -> SellerOrder:
    part = seller_order_accept(seller_order=order.seller_orders.get(), by=member)
    return seller_order_pack(seller_order=part, by=member, weight_grams=6200, parcels=1)


def buyer_subjects(order) -> list[str]:
    return [message.subject for message in mail.outbox if message.to == [order.email]]


class TestAmountDueNow:
    def test_the_deposit_is_due_first_then_the_balance_then_nothing(self, shop):
        order = deposit_order(shop)
        assert order.deposit == money_round(order.total * Decimal("0.3"), "EUR") > 0
        assert (order.amount_due_now, order.is_open_for_payment, order.balance_open) == (order.deposit, True, False)
        order_paid(order=order, amount=order.deposit, currency=order.currency)
        order.refresh_from_db()
        assert (order.amount_due_now, order.is_open_for_payment, order.balance_open) == (
            order.total - order.deposit, False, True)
        order_paid(order=order, amount=order.total - order.deposit, currency=order.currency)
        order.refresh_from_db()
        assert (order.amount_due_now, order.is_open_for_payment, order.balance_open) == (0, False, False)
        assert order.balance_paid_at is not None and not order.balance_due

    def test_an_order_without_deposit_is_due_in_one_go(self, shop):
        order = order_for((shop["rug"], 1))
        assert (order.deposit, order.amount_due_now, order.balance_open, order.balance_due) == (0, order.total, False,
                                                                                                False)
        assert instalment_name(order=order) == ""
        order_paid(order=order, amount=order.total, currency=order.currency)
        order.refresh_from_db()
        assert (order.amount_due_now, order.balance_open, order.balance_paid_at) == (0, False, None)


class TestTheDepositPaysTheOrder:
    def test_the_deposit_marks_the_order_paid_and_splits_it_to_its_seller(self, shop, committed):
        order = deposit_order(shop)
        assert committed(order_paid, order=order, amount=order.deposit, currency=order.currency) == "paid"
        order.refresh_from_db()
        assert order.status == Order.Status.PAID and order.paid_at and order.split_at
        assert order.seller_orders.get().status == Status.AWAITING_ACCEPTANCE
        [paid_mail] = [message for message in mail.outbox if message.to == [order.email]]
        assert money_format(order.deposit, "EUR") in paid_mail.body
        assert money_format(order.total - order.deposit, "EUR") in paid_mail.body

    def test_the_total_instead_of_the_deposit_is_a_mismatch_and_pays_nothing(self, shop):
        order = deposit_order(shop)
        assert order_paid(order=order, amount=order.total, currency=order.currency) == "amount mismatch"
        order.refresh_from_db()
        assert order.status == Order.Status.AWAITING_PAYMENT and not order.split_at
        assert money_format(order.deposit, "EUR") in order.payment_error

    def test_a_repeated_deposit_has_no_second_effect(self, shop):
        order = paid_deposit(shop)
        assert order_paid(order=order, amount=order.deposit, currency=order.currency) == "amount mismatch"
        order.refresh_from_db()
        assert order.balance_open and order.balance_paid_at is None
        assert order.seller_orders.count() == 1


class TestShippingWaitsForTheBalance:
    def test_the_seller_accepts_and_packs_but_cannot_ship_and_the_buyer_is_asked_for_the_balance(
            self, shop, committed):
        order = paid_deposit(shop)
        mail.outbox.clear()
        part = committed(seller_order_accept, seller_order=order.seller_orders.get(), by=shop["member"])
        part = committed(seller_order_pack, seller_order=part, by=shop["member"], weight_grams=6200, parcels=1)
        assert part.status == Status.PACKED
        [balance_mail] = [message for message in mail.outbox if "balance is due" in message.subject]
        assert balance_mail.to == [order.email]
        assert order_url(order, absolute=True) in balance_mail.body
        assert money_format(order.total - order.deposit, "EUR") in balance_mail.body
        with pytest.raises(ValidationError, match="The buyer has not paid the balance yet"):
            seller_order_ship(seller_order=part, by=shop["member"], carrier="Amana", tracking_number="RR1")
        part.refresh_from_db()
        assert part.status == Status.PACKED and part.shipped_at is None

    def test_correcting_the_packing_does_not_ask_for_the_balance_again(self, shop, committed):
        order = paid_deposit(shop)
        part = committed(packed, order=order, member=shop["member"])
        committed(seller_order_pack, seller_order=part, by=shop["member"], weight_grams=6300, parcels=2)
        assert sum("balance is due" in subject for subject in buyer_subjects(order)) == 1

    def test_once_the_balance_is_paid_the_part_ships(self, shop, committed):
        order = paid_deposit(shop)
        part = packed(order, shop["member"])
        mail.outbox.clear()
        balance = order.total - order.deposit
        assert committed(order_paid, order=order, amount=balance, currency=order.currency) == "paid"
        assert buyer_subjects(order) == [f"Order {order.reference}: balance received"]
        part = seller_order_ship(seller_order=part, by=shop["member"], carrier="Amana", tracking_number="RR1")
        part = seller_order_deliver(seller_order=part, by=shop["member"])
        assert part.status == Status.DELIVERED

    def test_a_repeated_balance_is_already_paid(self, shop):
        order = paid_deposit(shop)
        balance = order.total - order.deposit
        assert order_paid(order=order, amount=balance, currency=order.currency) == "paid"
        first = Order.objects.get(pk=order.pk).balance_paid_at
        assert order_paid(order=order, amount=balance, currency=order.currency) == "already paid"
        assert Order.objects.get(pk=order.pk).balance_paid_at == first

    def test_a_wrong_balance_is_a_mismatch_and_shipping_stays_refused(self, shop):
        order = paid_deposit(shop)
        part = packed(order, shop["member"])
        assert order_paid(order=order, amount=order.total, currency=order.currency) == "amount mismatch"
        with pytest.raises(ValidationError, match="balance"):
            seller_order_ship(seller_order=part, by=shop["member"], carrier="Amana", tracking_number="RR1")

    def test_an_order_without_deposit_ships_once_paid_as_before(self, shop):
        order = order_for((shop["rug"], 1))
        order_paid(order=order, amount=order.total, currency=order.currency)
        part = packed(order, shop["member"])
        assert seller_order_ship(seller_order=part, by=shop["member"], carrier="Amana",
                                 tracking_number="RR1").status == Status.SHIPPED
        assert not any("balance" in subject for subject in buyer_subjects(order))


class TestBankTransfers:
    def record(self, order, amount, shop):
        return bank_transfer_record(order=order, amount=Decimal(amount), currency=order.currency, by=shop["staff"])

    def test_the_deposit_then_the_total_pay_each_instalment(self, shop):
        order = deposit_order(shop)
        instructions = transfer_instructions(order=order)
        assert instructions["amount"] == order.deposit
        assert instructions["instalment"] == f"Deposit (30 %) of order {order.reference}"
        half_deposit = money_round(order.deposit / 2, "EUR")
        assert self.record(order, half_deposit, shop) == "partial"
        assert Order.objects.get(pk=order.pk).status == Order.Status.AWAITING_PAYMENT
        assert self.record(order, order.deposit - half_deposit, shop) == "paid"
        order.refresh_from_db()
        assert order.status == Order.Status.PAID and order.split_at and order.balance_open
        instructions = transfer_instructions(order=order)
        assert instructions["amount"] == order.total - order.deposit
        assert instructions["instalment"] == f"Balance of order {order.reference}"
        part_of_balance = money_round((order.total - order.deposit) / 2, "EUR")
        assert self.record(order, part_of_balance, shop) == "partial"
        assert Order.objects.get(pk=order.pk).balance_open
        assert self.record(order, order.total - order.deposit - part_of_balance, shop) == "paid"
        order.refresh_from_db()
        assert not order.balance_open and order.balance_paid_at and order.received == order.total
        assert self.record(order, "10.00", shop) == "extra"

    def test_the_whole_total_in_one_transfer_pays_both_instalments(self, shop):
        order = deposit_order(shop)
        assert self.record(order, order.total, shop) == "paid"
        order.refresh_from_db()
        assert order.split_at and order.balance_paid_at and not order.balance_open


class TestOrderPage:
    def test_the_page_shows_the_deposit_paid_and_offers_to_pay_the_balance(self, client, shop):
        order = paid_deposit(shop, provider="offline")
        html = client.get(order_url(order)).content.decode()
        balance = money_format(order.total - order.deposit, "EUR")
        assert f"Deposit paid {money_format(order.deposit, 'EUR')}, balance {balance} due before shipping" in html
        assert f"Balance of order {order.reference}" in html  # the transfer to make, by bank

    def test_the_deposit_is_what_the_unpaid_page_asks_for(self, client, shop):
        order = deposit_order(shop)
        html = client.get(order_url(order)).content.decode()
        assert f"Deposit (30 %) of order {order.reference}" in html
        assert "data-balance-open" not in html

    def test_staff_see_the_deposit_and_the_balance_in_the_admin(self, client, shop):
        order = paid_deposit(shop)
        client.force_login(shop["staff"])
        html = client.get(reverse("orders:inspect", args=[order.pk])).content.decode()
        assert "data-deposit" in html and money_format(order.deposit, "EUR") in html
        assert "due before the parts ship" in html


class TestStartingAPayment:
    def test_a_paid_order_without_balance_cannot_be_paid_again(self, shop):
        order = order_for((shop["rug"], 1))
        order_paid(order=order, amount=order.total, currency=order.currency)
        order.refresh_from_db()
        with pytest.raises(ValidationError, match="no longer awaiting payment"):
            payment_start(order=order, success_url="https://souk.example/", cancel_url="https://souk.example/")

    def test_the_balance_can_be_paid_and_nothing_once_it_is(self, shop):
        order = paid_deposit(shop)
        payment = payment_start(order=order, success_url="https://souk.example/", cancel_url="https://souk.example/")
        assert payment.amount == order.total - order.deposit
        order_paid(order=order, amount=order.total - order.deposit, currency=order.currency)
        order.refresh_from_db()
        with pytest.raises(ValidationError, match="no longer awaiting payment"):
            payment_start(order=order, success_url="https://souk.example/", cancel_url="https://souk.example/")
