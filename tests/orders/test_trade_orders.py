"""Orders of verified trade buyers, placed through order_place with the buyer's user: the wholesale tier
each quantity reaches, whole cases, each seller's minimum (first order, then reorders) checked inside
the transaction, and the reverse charge of import VAT for a valid VAT number of the destination."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from catalog.models import Product, ProductPriceTier
from customs.services import duty_rates_refresh, sample_rules_load
from marketplace.orders.documents import commercial_invoice_pdf
from marketplace.orders.models import Order, OrderCharge
from marketplace.orders.selectors import order_duties_view
from marketplace.orders.services import order_paid, order_split
from marketplace.shipping.addresses import ShippingAddress
from tests.factories.catalog import eu_offer_ready, product_create, seller_pages
from tests.factories.orders import europe_zone, order_for, world_zone
from tests.factories.sellers import SellerFactory, UserFactory
from tests.factories.trade import TradeCompanyFactory, trade_buyer_create
from tests.orders.test_export_documents import pdf_text

pytestmark = pytest.mark.django_db

NEW_YORK = ShippingAddress(name="Sam Lee", line1="350 Fifth Avenue", line2="", city="New York", region="NY",
                           postal_code="10118", country="US", phone="+1 212 736 3100")
LONDON = ShippingAddress(name="Sam Lee", line1="1 Long Acre", line2="", city="London", region="",
                         postal_code="WC2E 9LH", country="GB", phone="+44 20 7946 0000")


def wholesale_product(tree, *, seller=None, case_pack=1, price="120.00", tiers=(("1", "100"), ("12", "90"), ("48", "80")),
                      title="Plate", **fields):
    product = product_create(seller_pages(tree, seller or SellerFactory()), title=title, price=price, stock=500,
                             craft="1.03.02", hs_code="6912.00", **fields)
    eu_offer_ready(product)
    Product.objects.filter(pk=product.pk).update(weight_grams=50, case_pack=case_pack)
    for min_quantity, unit_price in tiers:
        ProductPriceTier.objects.create(product=product, min_quantity=int(min_quantity), unit_price=Decimal(unit_price))
    product.refresh_from_db()
    return product


@pytest.fixture
def zones(db):
    sample_rules_load()
    duty_rates_refresh()
    europe_zone()
    world_zone()


@pytest.fixture
def buyer(db):
    return trade_buyer_create()


class TestTierPrices:
    @pytest.mark.parametrize("quantity, unit_price", [(11, "100"), (12, "90"), (47, "90"), (48, "80")])
    def test_a_trade_buyer_pays_the_tier_its_quantity_reaches(self, tree, zones, buyer, quantity, unit_price):
        plate = wholesale_product(tree)
        order = order_for((plate, quantity), user=buyer, currency="MAD")
        line = order.lines.get()
        assert line.unit_price_base == Decimal(unit_price) and line.unit_price == Decimal(unit_price)
        assert order.subtotal_base == Decimal(unit_price) * quantity
        assert order.trade_company_id == buyer.trade_member.company_id

    def test_a_retail_buyer_pays_the_retail_price_whatever_the_quantity(self, tree, zones):
        plate = wholesale_product(tree)
        order = order_for((plate, 48), user=UserFactory(), currency="MAD")
        assert order.lines.get().unit_price_base == Decimal("120.00")
        assert order.trade_company is None and not order.reverse_charge

    def test_a_company_not_verified_buys_at_retail(self, tree, zones):
        pending = trade_buyer_create(TradeCompanyFactory(status="pending"))
        plate = wholesale_product(tree)
        assert order_for((plate, 48), user=pending, currency="MAD").lines.get().unit_price_base == Decimal("120.00")


class TestCases:
    def test_a_quantity_not_a_multiple_of_the_case_is_refused_saying_the_nearest(self, tree, zones, buyer):
        plate = wholesale_product(tree, case_pack=6)
        with pytest.raises(ValidationError, match="order 12 or 18"):
            order_for((plate, 13), user=buyer)
        assert not Order.objects.exists()
        assert order_for((plate, 18), user=buyer).lines.get().quantity == 18

    def test_a_retail_buyer_is_not_held_to_cases(self, tree, zones):
        plate = wholesale_product(tree, case_pack=6)
        assert order_for((plate, 13), user=UserFactory()).lines.get().quantity == 13


class TestSellerMinimums:
    @pytest.fixture
    def seller(self, db):
        return SellerFactory(first_order_minimum=Decimal("999.99"), reorder_minimum=Decimal("500.00"))

    def test_exactly_at_the_minimum_is_ordered(self, tree, zones, buyer, seller):
        bowl = wholesale_product(tree, seller=seller, price="333.33", tiers=())
        assert order_for((bowl, 3), user=buyer, currency="MAD").subtotal_base == Decimal("999.99")

    def test_one_cent_under_is_refused_with_the_shortfall_and_nothing_is_saved(self, tree, zones, buyer, seller):
        seller.first_order_minimum = Decimal("1000.00")
        seller.save()
        bowl = wholesale_product(tree, seller=seller, price="333.33", tiers=())
        stock = Product.objects.get(pk=bowl.pk).stock
        with pytest.raises(ValidationError) as refused:
            order_for((bowl, 3), user=buyer, currency="MAD")
        assert refused.value.messages[0].replace("\xa0", " ").endswith("add MAD 0.01.")
        assert not Order.objects.exists() and Product.objects.get(pk=bowl.pk).stock == stock

    def test_after_a_paid_order_the_reorder_minimum_applies(self, tree, zones, buyer, seller):
        bowl = wholesale_product(tree, seller=seller, price="100.00", tiers=())
        with pytest.raises(ValidationError, match="minimum"):
            order_for((bowl, 5), user=buyer, currency="MAD")  # 500 < the first order's 999.99
        first = order_for((bowl, 10), user=buyer, currency="MAD")
        order_paid(order=first, amount=first.total, currency="MAD")
        assert order_for((bowl, 5), user=buyer, currency="MAD").subtotal_base == Decimal("500.00")
        with pytest.raises(ValidationError, match="minimum"):
            order_for((bowl, 4), user=buyer, currency="MAD")

    def test_another_company_still_places_a_first_order(self, tree, zones, buyer, seller):
        bowl = wholesale_product(tree, seller=seller, price="100.00", tiers=())
        first = order_for((bowl, 10), user=buyer, currency="MAD")
        order_paid(order=first, amount=first.total, currency="MAD")
        with pytest.raises(ValidationError, match="minimum"):
            order_for((bowl, 5), user=trade_buyer_create(), currency="MAD")

    def test_retail_buyers_have_no_minimum(self, tree, zones, seller):
        bowl = wholesale_product(tree, seller=seller, price="100.00", tiers=())
        assert order_for((bowl, 1), user=UserFactory(), currency="MAD").subtotal_base == Decimal("100.00")


class TestReverseCharge:
    def test_a_dutch_company_shipping_to_france_pays_no_vat_and_the_order_says_why(self, tree, zones, buyer):
        plate = wholesale_product(tree)
        order = order_for((plate, 48), user=buyer, currency="EUR", incoterm="DDP")
        assert order.reverse_charge and order.buyer_vat_number == "NL004495445B01"
        kinds = set(order.charges.values_list("kind", flat=True))
        assert OrderCharge.Kind.TAX not in kinds and OrderCharge.Kind.REVERSE_CHARGE in kinds
        assert order.charges.filter(kind=OrderCharge.Kind.REVERSE_CHARGE, amount=0).exists()
        # Duties still apply and are collected (DDP); no VAT in the total.
        assert order.charges.filter(kind__in=["duty", "flat_duty"]).exists()
        assert order.total == order.subtotal + order.shipping + order.charges_collected
        assert all(part.collection_scheme == "" for part in order.shipping_parts.all())
        view = order_duties_view(order)
        assert any("reverse charge" in row.label for row in view.rows)

    def test_the_order_email_says_no_vat_is_charged_and_why(self, tree, zones, buyer, mailoutbox,
                                                            django_capture_on_commit_callbacks):
        plate = wholesale_product(tree)
        with django_capture_on_commit_callbacks(execute=True):
            order = order_for((plate, 48), user=buyer, currency="EUR", incoterm="DDP")
        [message] = [message for message in mailoutbox if order.reference in message.subject]
        assert "Reverse charge: no VAT is charged" in message.body and "NL004495445B01" in message.body
        with django_capture_on_commit_callbacks(execute=True):
            retail = order_for((plate, 1), user=UserFactory(), currency="EUR", incoterm="DDP")
        [message] = [message for message in mailoutbox if retail.reference in message.subject]
        assert "Reverse charge" not in message.body

    def test_a_low_value_business_consignment_is_not_under_ioss(self, tree, zones, buyer):
        plate = wholesale_product(tree)
        order = order_for((plate, 1), user=buyer, currency="EUR")  # EUR ~9: under the IOSS threshold
        assert order.reverse_charge and not order.charges.filter(kind="tax").exists()
        assert order.shipping_parts.get().collection_scheme == ""

    @pytest.mark.parametrize("company_fields", [{"vat_number": ""}, {"vat_valid": False}, {"vat_valid": None}])
    def test_without_a_valid_vat_number_vat_is_charged(self, tree, zones, company_fields):
        trader = trade_buyer_create(TradeCompanyFactory(**company_fields))
        plate = wholesale_product(tree)
        order = order_for((plate, 48), user=trader, currency="EUR", incoterm="DDP")
        assert not order.reverse_charge and order.charges.filter(kind="tax", amount__gt=0).exists()
        assert order.lines.get().unit_price_base == Decimal("80")  # still on trade prices

    def test_a_retail_buyer_pays_vat(self, tree, zones):
        plate = wholesale_product(tree)
        order = order_for((plate, 48), user=UserFactory(), currency="EUR", incoterm="DDP")
        assert not order.reverse_charge and order.charges.filter(kind="tax", amount__gt=0).exists()

    def test_to_the_united_states_there_is_no_reverse_charge(self, tree, zones, buyer):
        plate = wholesale_product(tree)
        order = order_for((plate, 48), user=buyer, currency="USD", address=NEW_YORK)
        assert not order.reverse_charge and not order.charges.filter(kind="reverse").exists()
        assert order.buyer_vat_number == "NL004495445B01"

    def test_to_britain_a_british_vat_number_is_reverse_charged_a_dutch_one_is_not(self, tree, zones, buyer):
        plate = wholesale_product(tree)
        dutch = order_for((plate, 48), user=buyer, currency="GBP", address=LONDON, incoterm="DDP")
        assert not dutch.reverse_charge and dutch.charges.filter(kind="tax", amount__gt=0).exists()
        british = trade_buyer_create(TradeCompanyFactory(country="GB", vat_number="GB980780684"))
        order = order_for((plate, 48), user=british, currency="GBP", address=LONDON, incoterm="DDP")
        assert order.reverse_charge and not order.charges.filter(kind="tax").exists()


class TestInvoice:
    def test_the_commercial_invoice_names_the_company_its_vat_number_and_the_reverse_charge(self, tree, zones, buyer):
        plate = wholesale_product(tree)
        order = order_for((plate, 48), user=buyer, currency="EUR", incoterm="DDP")
        order_paid(order=order, amount=order.total, currency="EUR")
        text = pdf_text(commercial_invoice_pdf(order_split(order=order)[0]))
        assert "VAT number: NL004495445B01" in text and buyer.trade_member.company.legal_name in text
        assert "Reverse charge: import VAT to be accounted for by the recipient, art. 201 Directive 2006/112/EC" in text

    def test_a_retail_invoice_has_no_reverse_charge(self, tree, zones):
        plate = wholesale_product(tree)
        order = order_for((plate, 2), user=UserFactory(), currency="EUR", incoterm="DDP")
        order_paid(order=order, amount=order.total, currency="EUR")
        text = pdf_text(commercial_invoice_pdf(order_split(order=order)[0]))
        assert "Reverse charge" not in text and "VAT number:" not in text
