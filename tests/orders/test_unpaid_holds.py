"""Stock held by unpaid orders (one anonymous bank-transfer order held a product's whole stock for
seven days, so the next buyer saw "sold out"). The rule: a bank transfer holds for 48 hours, its buyer
is reminded before the end, guests' unpaid transfers together hold at most half of a product's units,
and the payment page says the products are the buyer's once paid."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from catalog.models import Product
from marketplace.orders.models import Order
from marketplace.orders.selectors import order_url
from marketplace.orders.services import order_cancel_unpaid, orders_remind_unpaid
from marketplace.orders.tasks import orders_release_unpaid_task
from tests.factories.catalog import product_create, seller_pages
from tests.factories.orders import europe_zone, order_for
from tests.factories.sellers import SellerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rug(tree, settings):
    settings.UNPAID_GUEST_HOLD_SHARE = "0.5"  # as in production (the test settings lift the cap)
    settings.PAYMENT_PROVIDERS = {
        **settings.PAYMENT_PROVIDERS,
        # A card provider is only named here: placing an order does not call it.
        "card": {"BACKEND": "marketplace.payments.stripe_provider.StripeProvider",
                 "OPTIONS": {"SECRET_KEY": "sk_test_unused", "NETWORK_RETRIES": 0}},
    }
    europe_zone()
    return product_create(seller_pages(tree, SellerFactory()), title="Rug", stock=4)


def stock(product) -> int:
    return Product.objects.get(pk=product.pk).stock


class TestGuestBankTransferCap:
    def test_a_guest_cannot_hold_a_products_whole_stock_by_bank_transfer(self, rug):
        with pytest.raises(ValidationError) as refused:
            order_for((rug, 4), email="stranger@example.com")
        assert refused.value.code == "hold_cap" and "only 2 can be reserved" in refused.value.messages[0]
        assert stock(rug) == 4 and not Order.objects.exists()  # nothing half-saved

    def test_guests_together_hold_at_most_half_and_the_rest_stays_on_sale_for_card_buyers(self, rug):
        order_for((rug, 1), email="first@example.com")
        order_for((rug, 1), email="second@example.com")
        with pytest.raises(ValidationError, match="reserved by orders awaiting a bank transfer"):
            order_for((rug, 1), email="third@example.com")
        assert stock(rug) == 2
        card = order_for((rug, 2), email="card@example.com", provider="card")
        assert card.lines.get().quantity == 2 and stock(rug) == 0

    def test_a_released_hold_frees_its_share(self, rug):
        first = order_for((rug, 2), email="first@example.com")
        order_cancel_unpaid(order=first, reason="test")
        assert order_for((rug, 2), email="second@example.com").lines.get().quantity == 2

    def test_a_signed_in_buyer_is_not_capped(self, rug):
        buyer = UserFactory(username="amina", email="amina@example.com")
        order = order_for((rug, 4), email="amina@example.com", user=buyer)
        assert order.user == buyer and stock(rug) == 0


class TestBankTransferHold:
    def test_a_bank_transfer_holds_the_stock_for_48_hours_not_a_week(self, rug):
        now = timezone.now()
        order = order_for((rug, 1), now=now)
        assert order.pay_by == now + timedelta(hours=48)
        card = order_for((rug, 1), provider="card", now=now)
        assert card.pay_by == now + timedelta(hours=1)

    def test_the_buyer_is_reminded_once_before_the_hold_ends_then_the_stock_is_released(
            self, rug, django_capture_on_commit_callbacks):
        now = timezone.now()
        order = order_for((rug, 1), now=now - timedelta(hours=37))  # 11 hours left
        order_for((rug, 1), provider="card", now=now - timedelta(minutes=50))  # cards are not reminded
        early = order_for((rug, 1), email="early@example.com", now=now)  # 48 hours left
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            assert orders_remind_unpaid(now=now) == 1
            assert orders_remind_unpaid(now=now) == 0
        [reminder] = mail.outbox
        assert reminder.to == [order.email] and order.reference in reminder.subject
        assert "go back on sale" in reminder.body and "IBAN" in reminder.body
        order.refresh_from_db()
        early.refresh_from_db()
        assert order.payment_reminded_at and early.payment_reminded_at is None

        Order.objects.filter(pk=order.pk).update(pay_by=timezone.now() - timedelta(minutes=1))
        assert orders_release_unpaid_task.delay().get() == 1
        order.refresh_from_db()
        assert order.status == Order.Status.CANCELLED

    def test_the_payment_page_says_the_products_are_the_buyers_once_paid(self, client, rug):
        order = order_for((rug, 1))
        html = client.get(order_url(order)).content.decode()
        assert "They are yours once the transfer has arrived" in html and "go back on sale" in html
