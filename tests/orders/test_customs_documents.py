"""What customs read on a part's documents (issue 17, part 4): the statement on origin in the agreement's
wording, within the limit any exporter may declare or with the approved exporter's number; the part's own
incoterm; HS code and edition; the IOSS number when VAT was collected at sale; Arabic text that extracts
as typed; and the CN 23 declaration of each parcel. Orders are placed under the sample destination rules."""

import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from currency.selectors import money_format
from customs.services import duty_rates_refresh, sample_rules_load
from marketplace.orders.documents import commercial_invoice_pdf, customs_declaration_pdf, origin_statement
from marketplace.orders.models import Order, OrderLine, SellerOrder
from marketplace.orders.services import order_paid
from marketplace.shipping.addresses import ShippingAddress
from sellers.models import Seller
from tests.factories.catalog import eu_offer_ready, product_create, seller_pages
from tests.factories.orders import europe_zone, order_for, world_zone
from tests.factories.sellers import SellerFactory, SellerMemberFactory

pytestmark = pytest.mark.django_db

IOSS_NUMBER = "IM5040000123"
PEM_STATEMENT = (
    "The exporter of the products covered by this document declares that, except where otherwise clearly "
    "indicated, these products are of Morocco preferential origin."
)
NEW_YORK = ShippingAddress(name="Sam Lee", line1="350 Fifth Avenue", line2="", city="New York", region="NY",
                           postal_code="10118", country="US", phone="+1 212 736 3100")


def euros(amount) -> str:
    """An amount as the English invoices write euros."""
    return money_format(amount, "EUR", language="en")


def pdf_text(data: bytes) -> str:
    """The text of every page, whitespace collapsed (a cell may wrap its text over two lines)."""
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)


def paid(order: Order) -> Order:
    assert order_paid(order=order, amount=order.total, currency=order.currency) == "paid"
    order.refresh_from_db()
    return order


@pytest.fixture
def rules(settings):
    settings.CUSTOMS_IOSS_NUMBER = IOSS_NUMBER
    sample_rules_load()
    duty_rates_refresh()
    europe_zone()
    world_zone()


@pytest.fixture
def rug(tree, rules):
    """MAD 1,000 (about EUR 92): under the EU's EUR 150, so its VAT is collected at sale (IOSS)."""
    (rug,) = eu_offer_ready(product_create(seller_pages(tree, SellerFactory(legal_name="Tapis Ouzguita")),
                                           title="Rug", price="1000", stock=5))
    return rug


@pytest.fixture
def lamp(tree, rules):
    """MAD 2,500 (about EUR 230): over EUR 150, so DAP unless the buyer pays duties and taxes at checkout."""
    (lamp,) = eu_offer_ready(product_create(seller_pages(tree, SellerFactory(legal_name="Dinanderie Fès")),
                                            title="Lamp", craft="1.05.01", hs_code="9405.11", price="2500", stock=5))
    return lamp


@pytest.fixture
def carpet(tree, rules):
    """MAD 70,000 (about EUR 6,450): above the EUR 6,000 up to which any exporter may state origin."""
    (carpet,) = eu_offer_ready(product_create(seller_pages(tree, SellerFactory(legal_name="Grands Tapis Atlas")),
                                              title="Carpet", price="70000", stock=5))
    return carpet


def part_of(order: Order, product) -> SellerOrder:
    return order.seller_orders.get(seller=product.seller)


class TestStatementOnOrigin:
    def test_moroccan_goods_to_france_within_the_limit_carry_the_pem_statement_without_a_number(self, rug):
        order = paid(order_for((rug, 1), currency="EUR", incoterm="DAP"))
        text = pdf_text(commercial_invoice_pdf(part_of(order, rug)))
        assert "Statement on origin" in text and PEM_STATEMENT in text
        assert "authorisation No" not in text
        assert "Place and date: Taznakht, Morocco" in text and "Signature:" in text

    def test_above_the_limit_an_approved_exporter_quotes_its_number(self, carpet):
        Seller.objects.filter(pk=carpet.seller_id).update(approved_exporter_number="MA/AE/0042")
        order = paid(order_for((carpet, 1), currency="EUR", incoterm="DAP"))
        text = pdf_text(commercial_invoice_pdf(part_of(order, carpet)))
        assert (
            "The exporter of the products covered by this document (customs or competent governmental authority "
            "authorisation No MA/AE/0042) declares that, except where otherwise clearly indicated, these products "
            "are of Morocco preferential origin."
        ) in text

    def test_above_the_limit_without_a_number_the_invoice_says_no_statement_can_be_made(self, carpet):
        order = paid(order_for((carpet, 1), currency="EUR", incoterm="DAP"))
        part = part_of(order, carpet)
        text = pdf_text(commercial_invoice_pdf(part))
        assert "preferential origin." not in text
        assert "No statement on origin can be made on this invoice" in text
        assert "above the €6,000.00 up to which any exporter may make it" in text
        assert "approved exporter number" in origin_statement(part).refusal

    def test_the_sellers_workspace_warns_that_the_statement_cannot_be_made(self, client, carpet, lamp):
        order = paid(order_for((carpet, 1), (lamp, 1), currency="EUR", incoterm="DAP"))
        member = SellerMemberFactory(seller=carpet.seller).user
        other = SellerMemberFactory(seller=lamp.seller).user
        for user in (member, other):
            user.user_permissions.add(
                Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
            )
        client.force_login(member)
        page = client.get(reverse("seller_orders:inspect", args=[part_of(order, carpet).pk])).content.decode()
        assert "No statement on origin can be made on this invoice" in page
        assert "customs_declaration.pdf" in page
        client.force_login(other)
        page = client.get(reverse("seller_orders:inspect", args=[part_of(order, lamp).pk])).content.decode()
        assert "No statement on origin can be made" not in page

    def test_exactly_at_the_limit_any_exporter_may_still_declare(self, carpet):
        order = paid(order_for((carpet, 1), currency="EUR", incoterm="DAP"))
        Order.objects.filter(pk=order.pk).update(customs_rate=Decimal("6000") / Decimal("70000"))
        part = SellerOrder.objects.get(pk=part_of(order, carpet).pk)
        assert PEM_STATEMENT in pdf_text(commercial_invoice_pdf(part))

    def test_goods_of_an_origin_without_preference_at_the_destination_get_no_statement(self, tree, rules):
        cameroon = SellerFactory(legal_name="Vannerie de Foumban", country="CM", city="Foumban")
        basket = product_create(seller_pages(tree, cameroon), title="Basket", price="800", stock=5)
        order = paid(order_for((basket, 1), currency="USD", address=NEW_YORK, incoterm="DAP"))
        text = pdf_text(commercial_invoice_pdf(part_of(order, basket)))
        assert "Cameroon" in text
        assert "Statement on origin" not in text and "preferential" not in text

    def test_moroccan_goods_to_the_united_states_carry_the_fta_certification(self, rug):
        order = paid(order_for((rug, 1), currency="USD", address=NEW_YORK, incoterm="DAP"))
        text = pdf_text(commercial_invoice_pdf(part_of(order, rug)))
        assert "these goods originate in Morocco and qualify as originating goods" in text
        assert "United States–Morocco Free Trade Agreement" in text

    def test_lines_of_another_origin_are_named_as_not_covered(self, rug):
        order = paid(order_for((rug, 1), currency="EUR", incoterm="DAP"))
        part = part_of(order, rug)
        OrderLine.objects.create(
            order=order, seller_order=part, seller=part.seller, title="Brass tray (imported)", quantity=1,
            unit_price_base=Decimal("100"), unit_price=Decimal("9.22"), line_total=Decimal("9.22"),
            hs_code="7418.10", weight_grams=400, origin_country="IN",
        )
        text = pdf_text(commercial_invoice_pdf(part))
        assert PEM_STATEMENT in text and "Not of preferential origin: Brass tray (imported)." in text


class TestInvoiceCustomsData:
    def test_each_part_of_one_order_shows_its_own_incoterm_and_only_the_collected_one_its_ioss_number(
            self, rug, lamp):
        order = paid(order_for((rug, 1), (lamp, 1), currency="EUR", incoterm="DAP"))
        rug_part, lamp_part = part_of(order, rug), part_of(order, lamp)
        assert (rug_part.incoterm, rug_part.collection_scheme) == ("DDP", "ioss")
        assert (lamp_part.incoterm, lamp_part.collection_scheme) == ("DAP", "")
        rug_text = pdf_text(commercial_invoice_pdf(rug_part))
        lamp_text = pdf_text(commercial_invoice_pdf(lamp_part))
        assert "Incoterm DDP Paris, France" in rug_text and "Incoterm DAP Paris, France" in lamp_text
        assert f"IOSS number {IOSS_NUMBER}" in rug_text
        assert IOSS_NUMBER not in lamp_text and "IOSS" not in lamp_text
        # The VAT collected is a line of its own, apart from the goods; the lamp's are due on delivery.
        assert "VAT 20% (collected)" in rug_text and f"Total {euros(rug_part.total)}" in rug_text
        assert "VAT 20% (collected)" not in lamp_text
        assert f"the consignee pays them on delivery (estimate: {euros(lamp_part.charges_due)})" in lamp_text

    def test_a_british_parcel_whose_vat_was_collected_shows_the_uk_vat_number_and_the_pem_statement(
            self, rug, settings):
        settings.CUSTOMS_UK_VAT_NUMBER = "GB123456789"
        london = ShippingAddress(name="Alex Smith", line1="1 Bishopsgate", line2="", city="London", region="",
                                 postal_code="EC2N 3AR", country="GB", phone="+44 20 7946 0000")
        order = paid(order_for((rug, 1), currency="GBP", address=london, incoterm="DAP"))
        part = part_of(order, rug)
        assert (part.incoterm, part.collection_scheme) == ("DDP", "uk_vat")
        text = pdf_text(commercial_invoice_pdf(part))
        assert "UK VAT number GB123456789" in text and IOSS_NUMBER not in text
        assert "Incoterm DDP London, United Kingdom" in text and PEM_STATEMENT in text

    def test_each_line_shows_its_hs_code_with_the_edition_and_its_origin(self, lamp):
        order = paid(order_for((lamp, 1), currency="EUR", incoterm="DAP"))
        text = pdf_text(commercial_invoice_pdf(part_of(order, lamp)))
        assert "HS code (edition)" in text and "9405.11 HS2022 Morocco" in text


ARABIC_SELLER = "تعاونية الأمل للزربية"
ARABIC_CITY = "تازناخت"
ARABIC_BUYER = "فاطمة الزهراء بنعلي"
ARABIC_STREET = "شارع الحسن الثاني"


class TestArabicText:
    def test_arabic_names_and_addresses_extract_in_logical_order(self, tree, rules):
        seller = SellerFactory(legal_name=ARABIC_SELLER, city=ARABIC_CITY)
        (rug,) = eu_offer_ready(product_create(seller_pages(tree, seller), title="زربية", price="1000", stock=5))
        lyon = ShippingAddress(name=ARABIC_BUYER, line1=ARABIC_STREET, line2="", city="Lyon", region="",
                               postal_code="69001", country="FR", phone="+33 4 72 00 00 00")
        order = paid(order_for((rug, 1), currency="EUR", address=lyon, incoterm="DAP"))
        part = part_of(order, rug)
        for make in (commercial_invoice_pdf, customs_declaration_pdf):
            lines = [
                line.strip()
                for page in PdfReader(io.BytesIO(make(part))).pages
                for line in page.extract_text().splitlines()
            ]
            for arabic in (ARABIC_SELLER, ARABIC_BUYER, ARABIC_STREET):
                assert arabic in lines, (make.__name__, arabic)
            # Never reversed letter by letter, the way an unshaped right-to-left run would extract.
            assert ARABIC_SELLER[::-1] not in " ".join(lines)


class TestCustomsDeclaration:
    def test_one_cn23_sheet_per_parcel_with_contents_weights_values_and_signature(self, rug):
        order = paid(order_for((rug, 1), currency="EUR", incoterm="DAP"))
        part = part_of(order, rug)
        now = timezone.now()
        SellerOrder.objects.filter(pk=part.pk).update(
            status=SellerOrder.Status.SHIPPED, packed_at=now, packed_weight_grams=3900, parcels=2, shipped_at=now,
            carrier="Barid Al-Maghrib", tracking_number="CP123456789MA",
        )
        part.refresh_from_db()
        data = customs_declaration_pdf(part)
        pages = PdfReader(io.BytesIO(data)).pages
        assert len(pages) == 2
        for number, page in enumerate(pages, start=1):
            text = " ".join(page.extract_text().split())
            assert "CUSTOMS DECLARATION CN 23" in text and f"Parcel {number} of 2" in text
            assert f"Invoice number {part.reference}" in text and "Category of item Sale of goods" in text
            assert "From (sender)" in text and "To (addressee)" in text and "Camille Martin" in text
            assert part.seller.legal_name in text and "Carrier Barid Al-Maghrib" in text
            (line,) = part.lines.all()
            assert f"{line.title} 1 3.000 kg {euros(line.line_total)} 5701.10 HS2022 Morocco" in text
            assert "Total net weight (all parcels) 3.000 kg" in text
            assert "Total gross weight (all parcels) 3.900 kg" in text
            assert f"Total value (all parcels) {euros(part.subtotal)}" in text
            assert f"Postage/fees (all parcels) {euros(part.shipping)}" in text
            assert f"Importer's reference {IOSS_NUMBER}" in text
            assert "does not contain any dangerous article" in text and "Date and sender's signature:" in text

    def test_a_part_not_yet_packed_has_one_sheet_without_a_gross_weight(self, lamp):
        order = paid(order_for((lamp, 1), currency="EUR", incoterm="DAP"))
        data = customs_declaration_pdf(part_of(order, lamp))
        text = pdf_text(data)
        assert len(PdfReader(io.BytesIO(data)).pages) == 1 and "Parcel 1 of 1" in text
        assert "Total net weight 3.000 kg" in text and "Total value" in text and "all parcels" not in text
        assert "gross weight" not in text and "Importer's reference" not in text
