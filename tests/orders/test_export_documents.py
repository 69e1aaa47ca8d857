"""Export documents of a seller's part of an order: the PDFs hold what customs read (HS codes, origin,
values in the order's currency, the incoterm), and only the part's seller, the buyer and chamber staff
can download them."""

import io
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from catalog.models import Product
from marketplace.orders.documents import commercial_invoice_pdf, packing_list_pdf, seller_order_documents_make
from marketplace.orders.models import Order, OrderLine, SellerOrder, SellerOrderDocument
from marketplace.orders.selectors import document_urls_for_buyer
from marketplace.orders.services import order_paid
from sellers.models import Seller, seller_document_storage
from sellers.roles import CHAMBER_STAFF_GROUP
from tests.factories.catalog import product_create, seller_pages
from tests.factories.orders import europe_zone, order_for
from tests.factories.sellers import SellerFactory, SellerMemberFactory, UserFactory

pytestmark = pytest.mark.django_db

INVOICE = SellerOrderDocument.Kind.COMMERCIAL_INVOICE
PACKING_LIST = SellerOrderDocument.Kind.PACKING_LIST
CN23 = SellerOrderDocument.Kind.CUSTOMS_DECLARATION
ALL_KINDS = {INVOICE, PACKING_LIST, CN23}


def pdf_text(data: bytes) -> str:
    """The text of every page, whitespace collapsed (a cell may wrap its text over two lines)."""
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def pdf_pages(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def euros(amount: Decimal) -> str:
    """As English writes euros (the documents are in English unless asked otherwise)."""
    return f"€{amount:,.2f}"


def paid(order: Order) -> Order:
    assert order_paid(order=order, amount=order.total, currency=order.currency) == "paid"
    order.refresh_from_db()
    return order


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path, monkeypatch):
    """Files of this module's tests only, away from the shared test media that other test runs clear.
    Django calls a FileField's storage callable once, when the model is loaded, so the field's storage
    is replaced as well as the setting."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    monkeypatch.setattr(SellerOrderDocument._meta.get_field("file"), "storage", seller_document_storage())
    return settings.PRIVATE_MEDIA_ROOT


@dataclass
class Shop:
    tree: object
    order: Order
    part_a: SellerOrder
    part_b: SellerOrder
    rug: Product
    plate: Product


@pytest.fixture
def shop(tree):
    """One paid order in euros of two sellers' products: two rugs of seller A, three plates of seller B."""
    europe_zone()
    seller_a = SellerFactory(
        legal_name="Coopérative Tapis Aït Ouaouzguite", phone="+212 524 00 00 00", contact_name="Fatima Zahra"
    )
    seller_b = SellerFactory(legal_name="Poterie Safi Atlas")
    rug = product_create(seller_pages(tree, seller_a), title="Taznakht rug", price="1200.00", hs_code="5701.10")
    plate = product_create(
        seller_pages(tree, seller_b), title="Safi plate", craft="1.03.02", price="99.99", hs_code="6912.00", stock=10
    )
    Product.objects.filter(pk=plate.pk).update(weight_grams=1250)
    plate.refresh_from_db()
    order = paid(order_for((rug, 2), (plate, 3), currency="EUR"))
    return Shop(
        tree=tree,
        order=order,
        part_a=order.seller_orders.get(seller=seller_a),
        part_b=order.seller_orders.get(seller=seller_b),
        rug=rug,
        plate=plate,
    )


class TestCommercialInvoice:
    def test_the_pdf_text_holds_the_hs_codes_values_and_parties_of_its_part_only(self, shop):
        part, order = shop.part_a, shop.order
        data = commercial_invoice_pdf(part)
        assert data.startswith(b"%PDF")
        text = pdf_text(data)
        (line,) = part.lines.all()
        assert line.hs_code == "5701.10" and line.hs_code in text
        assert line.title in text
        assert f"{euros(line.unit_price)} {euros(line.line_total)}" in text
        assert part.total == line.line_total + part.shipping
        for label, amount in (("Products", part.subtotal), ("Shipping", part.shipping), ("Total", part.total)):
            assert f"{label} {euros(amount)}" in text
        assert "Commercial invoice".upper() in text
        assert f"Invoice number {part.reference}" in text and f"Order {order.reference}" in text
        assert f"Date {order.paid_at.date().isoformat()}" in text
        assert "Currency EUR" in text and "Incoterm DAP Paris, France" in text
        assert "Country of origin" in text and "Morocco" in text
        assert part.seller.legal_name in text and part.seller.register_number in text
        assert "Camille Martin" in text and "12 rue des Archives" in text and "75004 Paris" in text
        assert "Total net weight 6.000 kg" in text
        assert "true and correct and that the goods are of the stated origin" in text
        assert "6912.00" not in text and "Safi plate" not in text and shop.part_b.seller.legal_name not in text

    def test_the_other_part_has_its_own_lines_and_amounts(self, shop):
        part = shop.part_b
        text = pdf_text(commercial_invoice_pdf(part))
        (line,) = part.lines.all()
        assert line.quantity == 3 and "6912.00" in text and line.title in text
        assert euros(line.line_total) in text and f"Total {euros(part.total)}" in text
        assert "5701.10" not in text and shop.part_a.seller.legal_name not in text

    def test_the_incoterm_is_the_parts_own(self, shop):
        SellerOrder.objects.filter(pk=shop.part_a.pk).update(incoterm="DDP")
        assert "Incoterm DDP Paris, France" in pdf_text(commercial_invoice_pdf(shop.part_a))
        assert "Incoterm DAP Paris, France" in pdf_text(commercial_invoice_pdf(shop.part_b))

    def test_the_same_part_always_makes_the_same_bytes(self, shop):
        assert commercial_invoice_pdf(shop.part_a) == commercial_invoice_pdf(shop.part_a)

    def test_the_strings_are_translated_in_the_language_asked(self, shop):
        text = pdf_text(commercial_invoice_pdf(shop.part_a, language="fr"))
        assert "5701.10" in text and "Maroc" in text and "France" in text


class TestManyLinesAndUnusualText:
    def _lines(self, part, count, **fields):
        for number in range(count):
            OrderLine.objects.create(
                order=part.order,
                seller_order=part,
                seller=part.seller,
                title=fields.get("title", f"Cushion {number}"),
                quantity=1,
                unit_price_base=Decimal("10.00"),
                unit_price=Decimal("1.00"),
                line_total=Decimal("1.00"),
                hs_code=f"94{number:02d}.90",
                weight_grams=500,
                origin_country="MA",
            )

    def test_many_lines_run_over_several_pages_with_the_table_header_on_each(self, shop):
        self._lines(shop.part_a, 60)
        for make in (commercial_invoice_pdf, packing_list_pdf):
            data = make(shop.part_a)
            pages = pdf_pages(data)
            text = pdf_text(data)
            assert pages >= 2
            assert all(f"94{number:02d}.90" in text for number in range(60)) and "5701.10" in text
            assert text.count("Description HS code") == pages
            assert f"Page {pages} of {pages}" in text

    def test_markup_characters_long_titles_and_arabic_names_do_not_break_a_document(self, shop):
        Seller.objects.filter(pk=shop.part_a.seller_id).update(legal_name="تعاونية الأمل للزربية", city="تازناخت")
        OrderLine.objects.filter(seller_order=shop.part_a).update(title='Rug <Beni Ourain> & cushion "x" \t\x07 end')
        self._lines(shop.part_a, 1, title="W" * 250)
        self._lines(shop.part_a, 1, title="Tapis 東京 with an emoji 🧶")
        for make in (commercial_invoice_pdf, packing_list_pdf):
            data = make(shop.part_a)
            assert data.startswith(b"%PDF")
            text = pdf_text(data)
            assert 'Rug <Beni Ourain> & cushion "x"' in text and "5701.10" in text
            assert "W" * 40 in text.replace(" ", "")


class TestPackingList:
    def test_the_pdf_text_holds_quantities_and_weights(self, shop):
        text = pdf_text(packing_list_pdf(shop.part_b))
        assert "PACKING LIST" in text and f"Packing list for invoice {shop.part_b.reference}" in text
        assert "6912.00 3 1.250 kg 3.750 kg" in text
        assert "Items 3" in text and "Net weight 3.750 kg" in text
        assert "Gross weight" not in text and "Parcels" not in text and "Carrier" not in text
        assert "Camille Martin" in text and shop.part_b.seller.legal_name in text and "5701.10" not in text

    def test_once_packed_and_shipped_it_holds_the_packed_weight_parcels_and_tracking(self, shop):
        now = timezone.now()
        SellerOrder.objects.filter(pk=shop.part_a.pk).update(
            status=SellerOrder.Status.SHIPPED,
            packed_at=now,
            packed_weight_grams=6420,
            parcels=2,
            shipped_at=now,
            carrier="Amana",
            tracking_number="EE123456789MA",
        )
        shop.part_a.refresh_from_db()
        text = pdf_text(packing_list_pdf(shop.part_a))
        assert "Net weight 6.000 kg" in text and "Gross weight (packed) 6.420 kg" in text and "Parcels 2" in text
        assert "Carrier Amana" in text and "Tracking number EE123456789MA" in text


class TestDocumentsMake:
    def test_it_makes_one_row_per_kind_and_replaces_the_old_files(
        self, shop, private_media, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            first = {document.kind: document.file.name for document in seller_order_documents_make(shop.part_a)}
        assert set(first) == ALL_KINDS
        assert first[INVOICE].endswith(f"{shop.part_a.reference}-commercial-invoice.pdf")
        assert first[PACKING_LIST].endswith(f"{shop.part_a.reference}-packing-list.pdf")
        assert first[CN23].endswith(f"{shop.part_a.reference}-customs-declaration.pdf")
        with django_capture_on_commit_callbacks(execute=True):
            second = seller_order_documents_make(shop.part_a)
        assert SellerOrderDocument.objects.filter(seller_order=shop.part_a).count() == 3
        stored = sorted(path.name for path in private_media.rglob("*.pdf"))
        assert len(stored) == 3, stored
        for document in second:
            assert document.file.storage.exists(document.file.name)
            with document.file.open("rb") as file:
                assert file.read().startswith(b"%PDF")
        assert not any(
            document.file.storage.exists(name)
            for name in first.values()
            if name not in {document.file.name for document in second}
        )

    def test_the_files_are_kept_outside_the_public_media(self, shop, private_media, settings):
        seller_order_documents_make(shop.part_a)
        assert list(private_media.rglob("*.pdf")) and not list(settings.MEDIA_ROOT.rglob("*.pdf"))


@pytest.fixture
def people(shop):
    member_a = SellerMemberFactory(seller=shop.part_a.seller).user
    member_b = SellerMemberFactory(seller=shop.part_b.seller).user
    access_admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    chamber = Group.objects.get_or_create(name=CHAMBER_STAFF_GROUP)[0]
    chamber.permissions.add(
        access_admin, Permission.objects.get(content_type__app_label="orders", codename="view_order")
    )
    staff = UserFactory(username="chamber-staff")
    staff.groups.add(chamber)
    viewer = UserFactory(username="order-viewer")
    viewer.user_permissions.add(
        access_admin, Permission.objects.get(content_type__app_label="orders", codename="view_order")
    )
    # Members reach the admin through their seller's workspace group; here the permission is given directly.
    for user in (member_a, member_b):
        user.user_permissions.add(access_admin)
    other_admin_user = UserFactory(username="another-admin-user")
    other_admin_user.user_permissions.add(access_admin)
    return {
        "member of A": member_a,
        "member of B": member_b,
        "chamber staff": staff,
        "order viewer": viewer,
        "admin user of no seller": other_admin_user,
    }


def admin_url(part, kind=INVOICE):
    return reverse("seller_order_document", args=[part.pk, kind])


def assert_pdf_download(response, part, kind):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert f"{part.reference}-{kind.replace('_', '-')}.pdf" in response["Content-Disposition"]
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    content = b"".join(response.streaming_content)
    assert content.startswith(b"%PDF")
    return content


class TestAdminDownloads:
    @pytest.mark.parametrize(
        ("role", "allowed"),
        [
            ("member of A", {"A"}),
            ("member of B", {"B"}),
            ("chamber staff", {"A", "B"}),
            ("order viewer", {"A", "B"}),
            ("admin user of no seller", set()),
        ],
    )
    def test_who_gets_which_parts_documents(self, client, shop, people, role, allowed):
        client.force_login(people[role])
        for letter, part in (("A", shop.part_a), ("B", shop.part_b)):
            for kind in ALL_KINDS:
                response = client.get(admin_url(part, kind))
                if letter in allowed:
                    text = pdf_text(assert_pdf_download(response, part, kind))
                    assert part.seller.legal_name in text
                else:
                    # Wagtail's admin turns a refusal into a redirect to the dashboard, with a message...
                    assert response.status_code == 302, (role, letter, kind)
                    assert response["Location"] == reverse("wagtailadmin_home")
                    # ...and into a plain 403 for a script.
                    xhr = client.get(admin_url(part, kind), headers={"x-requested-with": "XMLHttpRequest"})
                    assert xhr.status_code == 403, (role, letter, kind)
                    assert not part.documents.exists()

    def test_a_document_not_made_yet_is_made_on_download(self, client, shop, people):
        assert not SellerOrderDocument.objects.exists()
        client.force_login(people["member of A"])
        assert_pdf_download(client.get(admin_url(shop.part_a, PACKING_LIST)), shop.part_a, PACKING_LIST)
        assert set(shop.part_a.documents.values_list("kind", flat=True)) == ALL_KINDS

    def test_a_document_made_before_the_part_was_packed_is_made_again(self, client, shop, people):
        client.force_login(people["member of A"])
        assert "Gross weight" not in pdf_text(
            assert_pdf_download(client.get(admin_url(shop.part_a, PACKING_LIST)), shop.part_a, PACKING_LIST)
        )
        SellerOrder.objects.filter(pk=shop.part_a.pk).update(
            status=SellerOrder.Status.PACKED, packed_at=timezone.now(), packed_weight_grams=6420, parcels=1
        )
        text = pdf_text(
            assert_pdf_download(client.get(admin_url(shop.part_a, PACKING_LIST)), shop.part_a, PACKING_LIST)
        )
        assert "Gross weight (packed) 6.420 kg" in text

    def test_anonymous_is_sent_to_the_login(self, client, shop):
        response = client.get(admin_url(shop.part_a))
        assert response.status_code == 302 and reverse("wagtailadmin_login") in response["Location"]
        assert not SellerOrderDocument.objects.exists()

    def test_an_unknown_kind_or_part_is_not_found(self, client, shop, people):
        client.force_login(people["chamber staff"])
        assert client.get(reverse("seller_order_document", args=[shop.part_a.pk, "certificate"])).status_code == 404
        assert client.get(reverse("seller_order_document", args=[999_999, INVOICE])).status_code == 404

    def test_a_declined_part_has_no_documents(self, client, shop, people):
        SellerOrder.objects.filter(pk=shop.part_b.pk).update(status=SellerOrder.Status.DECLINED)
        for role in ("chamber staff", "member of B"):
            client.force_login(people[role])
            assert client.get(admin_url(shop.part_b)).status_code == 404
        assert not SellerOrderDocument.objects.filter(seller_order=shop.part_b).exists()


class TestBuyerDownloads:
    def test_the_buyer_gets_each_part_of_its_order_from_its_private_link(self, client, shop):
        for part in (shop.part_a, shop.part_b):
            urls = document_urls_for_buyer(shop.order, part)
            assert set(urls) == ALL_KINDS
            for kind, url in urls.items():
                assert url.startswith(f"/en/orders/{shop.order.reference}/{shop.order.access_token}/documents/")
                text = pdf_text(assert_pdf_download(client.get(url), part, kind))
                assert part.lines.get().hs_code in text

    def test_the_links_are_in_the_orders_language(self, shop):
        Order.objects.filter(pk=shop.order.pk).update(language="fr")
        shop.order.refresh_from_db()
        assert document_urls_for_buyer(shop.order, shop.part_a)[INVOICE].startswith("/fr/orders/")

    def test_a_wrong_token_is_not_found(self, client, shop):
        url = reverse("order_document", args=[shop.order.reference, "not-the-token", shop.part_a.reference, INVOICE])
        assert client.get(url).status_code == 404
        assert not SellerOrderDocument.objects.exists()

    def test_another_orders_part_is_not_found_through_this_orders_link(self, client, shop):
        other = paid(order_for((shop.rug, 1), email="someone@example.com"))
        other_part = other.seller_orders.get()
        url = reverse(
            "order_document", args=[shop.order.reference, shop.order.access_token, other_part.reference, INVOICE]
        )
        assert client.get(url).status_code == 404
        assert document_urls_for_buyer(shop.order, other_part) == {}
        own = reverse("order_document", args=[other.reference, other.access_token, other_part.reference, INVOICE])
        assert_pdf_download(client.get(own), other_part, INVOICE)

    def test_an_unknown_kind_is_not_found(self, client, shop):
        url = reverse(
            "order_document", args=[shop.order.reference, shop.order.access_token, shop.part_a.reference, "invoice"]
        )
        assert client.get(url).status_code == 404

    def test_a_declined_part_has_no_documents(self, client, shop):
        SellerOrder.objects.filter(pk=shop.part_a.pk).update(status=SellerOrder.Status.DECLINED)
        shop.part_a.refresh_from_db()
        url = reverse(
            "order_document", args=[shop.order.reference, shop.order.access_token, shop.part_a.reference, INVOICE]
        )
        assert client.get(url).status_code == 404
        assert document_urls_for_buyer(shop.order, shop.part_a) == {}
