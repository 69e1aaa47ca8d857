"""Placing an order: prices in the buyer's currency at the stored rate, stock taken at once and given
back when the order is not paid in time, nothing saved when anything is wrong."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from catalog.models import Product
from currency.models import ExchangeRate
from currency.selectors import RATES_CACHE_KEY
from marketplace.orders.models import Order, OrderLine
from marketplace.orders.services import order_cancel_unpaid, order_paid, orders_release_unpaid
from marketplace.orders.tasks import orders_release_unpaid_task
from search.models import ListingDocument
from tests.factories.catalog import product_create, seller_pages
from tests.factories.orders import PARIS, europe_zone, order_for
from tests.factories.sellers import SellerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def products(tree):
    europe_zone()
    rug = product_create(seller_pages(tree, SellerFactory()), title="Rug", price="1234.50", stock=3)  # 3,000 g
    plate = product_create(seller_pages(tree, SellerFactory()), title="Plate", craft="1.03.02", hs_code="6912.00",
                           price="99.99", stock=40, min_order_quantity=2)
    tagine = product_create(seller_pages(tree, SellerFactory()), title="Tagine", price="250", stock=0,
                            made_to_order=True, lead_time_days=15)
    return {"rug": rug, "plate": plate, "tagine": tagine}


@pytest.fixture
def euro_rate(db):
    """1 EUR = 10.8 MAD, so 1 MAD = 0.0925925… EUR: a rate whose products need rounding."""
    ExchangeRate.objects.filter(currency="MAD").update(per_euro=Decimal("10.8"))
    from django.core.cache import cache

    cache.delete(RATES_CACHE_KEY)
    return Decimal(1) / Decimal("10.8")


class TestPricing:
    def test_the_order_is_priced_in_the_buyers_currency_with_the_rate_it_used(self, products, euro_rate):
        order = order_for((products["rug"], 2), (products["plate"], 2), currency="EUR")
        assert order.currency == "EUR" and order.base_currency == "MAD"
        assert order.exchange_rate == pytest.approx(euro_rate, rel=Decimal("1e-9"))
        rug_line = order.lines.get(product=products["rug"])
        # 1234.50 MAD × 0.09259… = 114.305… → 114.31 EUR a unit, and the line is two such units.
        assert rug_line.unit_price == Decimal("114.31") and rug_line.line_total == Decimal("228.62")
        assert order.lines.get(product=products["plate"]).unit_price == Decimal("9.26")  # 99.99 / 10.8 = 9.258…
        assert order.subtotal == Decimal("228.62") + Decimal("18.52")
        assert order.total == order.subtotal + order.shipping
        assert order.total_base == Decimal("1234.50") * 2 + Decimal("99.99") * 2 + order.shipping_base

    def test_a_later_rate_change_does_not_touch_a_placed_order(self, products, euro_rate):
        order = order_for((products["rug"], 1), currency="EUR")
        ExchangeRate.objects.filter(currency="MAD").update(per_euro=Decimal("12"))
        order.refresh_from_db()
        assert order.lines.get().unit_price == Decimal("114.31")

    def test_a_zero_decimal_currency_is_rounded_to_whole_units(self, products):
        order = order_for((products["plate"], 3), currency="XAF")
        line = order.lines.get()
        assert line.unit_price == line.unit_price.to_integral_value()
        assert order.total == order.total.to_integral_value()

    def test_the_order_keeps_a_snapshot_of_customs_data_and_the_shipping_of_each_seller(self, products):
        order = order_for((products["rug"], 1), (products["plate"], 2), (products["tagine"], 1), currency="MAD")
        assert set(order.lines.values_list("hs_code", flat=True)) == {"5701.10", "6912.00"}
        assert order.shipping_parts.count() == 3
        assert order.shipping_base == sum(part.price_base for part in order.shipping_parts.all())
        tagine_part = order.shipping_parts.get(seller=products["tagine"].seller)
        assert tagine_part.dispatch_by == timezone.localdate() + timedelta(days=15)
        products["rug"].hs_code = "5702.10"
        products["rug"].save()
        assert order.lines.get(product=products["rug"]).hs_code == "5701.10"


class TestStock:
    def test_placing_takes_the_stock_and_made_to_order_takes_none(self, products):
        order_for((products["rug"], 2), (products["tagine"], 5))
        assert Product.objects.get(pk=products["rug"].pk).stock == 1
        assert Product.objects.get(pk=products["tagine"].pk).stock == 0

    def test_a_line_beyond_the_stock_saves_nothing_and_takes_nothing(self, products):
        with pytest.raises(ValidationError, match="Only 3 left"):
            order_for((products["plate"], 2), (products["rug"], 4))
        assert Order.objects.count() == 0 and OrderLine.objects.count() == 0
        assert Product.objects.get(pk=products["plate"].pk).stock == 40

    def test_the_last_unit_goes_to_one_buyer_only(self, products):
        order_for((products["rug"], 3))
        with pytest.raises(ValidationError, match="Sold out|sold out"):
            order_for((products["rug"], 1), email="second@example.com")
        assert Product.objects.get(pk=products["rug"].pk).stock == 0

    def test_selling_out_updates_the_listing(self, products, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            order_for((products["rug"], 3))
        assert set(ListingDocument.objects.filter(page__product=products["rug"]).values_list("availability", flat=True)) == {"sold_out"}

    def test_an_order_not_paid_in_time_gives_its_stock_back(self, products):
        now = timezone.now()
        order = order_for((products["rug"], 2), (products["tagine"], 1), now=now)
        assert orders_release_unpaid(now=order.pay_by - timedelta(minutes=1)) == []
        released = orders_release_unpaid(now=order.pay_by + timedelta(minutes=1))
        assert [o.pk for o in released] == [order.pk]
        order.refresh_from_db()
        assert order.status == Order.Status.CANCELLED and order.cancel_reason
        assert Product.objects.get(pk=products["rug"].pk).stock == 3
        assert Product.objects.get(pk=products["tagine"].pk).stock == 0
        # Twice is once.
        assert orders_release_unpaid(now=order.pay_by + timedelta(hours=1)) == []
        assert Product.objects.get(pk=products["rug"].pk).stock == 3

    def test_the_beat_task_releases_due_orders(self, products):
        order = order_for((products["rug"], 1), now=timezone.now() - timedelta(days=30))
        assert orders_release_unpaid_task.delay().get() == 1
        order.refresh_from_db()
        assert order.status == Order.Status.CANCELLED

    def test_a_paid_order_is_never_released(self, products):
        order = order_for((products["rug"], 1))
        assert order_paid(order=order, amount=order.total, currency=order.currency) == "paid"
        assert not order_cancel_unpaid(order=order, reason="late")
        assert Product.objects.get(pk=products["rug"].pk).stock == 2

    def test_a_payment_after_release_takes_the_stock_again_if_it_is_still_there(self, products):
        order = order_for((products["rug"], 2))
        order_cancel_unpaid(order=order, reason="Not paid in time.")
        assert order_paid(order=order, amount=order.total, currency=order.currency) == "paid"
        order.refresh_from_db()
        assert order.status == Order.Status.PAID and not order.cancel_reason
        assert Product.objects.get(pk=products["rug"].pk).stock == 1

    def test_a_payment_after_release_when_the_stock_is_gone_asks_for_a_refund(self, products):
        order = order_for((products["rug"], 2))
        order_cancel_unpaid(order=order, reason="Not paid in time.")
        order_for((products["rug"], 3), email="quicker@example.com")
        assert order_paid(order=order, amount=order.total, currency=order.currency) == "refund"
        order.refresh_from_db()
        assert order.status == Order.Status.CANCELLED and order.paid_at and "refunded" in order.cancel_reason
        assert Product.objects.get(pk=products["rug"].pk).stock == 0


class TestRefusals:
    @pytest.mark.parametrize("changes, message", [
        ({"email": "not-an-email"}, "valid email"),
        ({"currency": "ZZZ"}, "currencies offered"),
        ({"provider": "cash-in-a-sock"}, "payment method"),
    ])
    def test_bad_input_saves_nothing(self, products, changes, message):
        with pytest.raises(ValidationError, match=message):
            order_for((products["rug"], 1), **changes)
        assert Order.objects.count() == 0 and Product.objects.get(pk=products["rug"].pk).stock == 3

    def test_an_unserved_destination_is_refused_before_anything_is_taken(self, products):
        tokyo = PARIS.__class__(**{**PARIS.__dict__, "country": "JP", "postal_code": "100-0001", "city": "Chiyoda",
                                   "region": "Tokyo"})
        with pytest.raises(ValidationError) as error:
            order_for((products["rug"], 1), address=tokyo)
        assert error.value.code == "not_served"
        assert Product.objects.get(pk=products["rug"].pk).stock == 3

    def test_an_invalid_address_names_the_field(self, products):
        bad = PARIS.__class__(**{**PARIS.__dict__, "postal_code": "7500"})
        with pytest.raises(ValidationError) as error:
            order_for((products["rug"], 1), address=bad)
        assert "postal_code" in error.value.message_dict

    def test_below_the_minimum_order_is_refused(self, products):
        with pytest.raises(ValidationError, match="sold by 2 at least"):
            order_for((products["plate"], 1))


class TestEmails:
    def test_a_bank_transfer_order_gets_the_instructions_then_the_confirmation(
            self, products, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            order = order_for((products["rug"], 1), language="fr")
        assert len(mail.outbox) == 1 and order.reference in mail.outbox[0].subject
        body = mail.outbox[0].body
        assert "IBAN" in body and str(order.total).replace(".", ",") in body.replace("\u202f", "")  # French decimals
        assert order.access_token in mail.outbox[0].body
        with django_capture_on_commit_callbacks(execute=True):
            order_paid(order=order, amount=order.total, currency=order.currency)
        to_buyer = [message for message in mail.outbox if message.to == [order.email]]
        assert len(to_buyer) == 2 and "confirm" in to_buyer[1].subject.lower()
