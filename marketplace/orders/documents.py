"""Export documents of a seller's part of an order: the commercial invoice and the packing list, as PDF.

Customs documents are in English unless asked otherwise; every string is translatable all the same.
The fonts are vendored (``fonts/``, DejaVu Sans) so a machine without system fonts makes the same PDF.
Without a text-shaping engine fpdf2 cannot join Arabic letters: Arabic names print as separate
letters, and characters DejaVu lacks (CJK, for one) are left out with a warning rather than failing.
"""

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from fpdf import FPDF, FontFace

from currency.selectors import money_round
from marketplace.shipping.countries import country_name

from .models import Order, OrderLine, SellerOrder, SellerOrderDocument

if TYPE_CHECKING:
    from sellers.models import Seller

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVu"
BODY_SIZE = 9
HEADING_FILL = (228, 228, 228)
LINE_HEIGHT = 5
# Fractions of the page width.
INVOICE_COLUMNS = (35, 11, 13, 10, 15.5, 15.5)
PACKING_COLUMNS = (48, 13, 11, 14, 14)


def document_file_name(seller_order: SellerOrder, kind: str) -> str:
    """``SE26-7KQ4MZ-1-commercial-invoice.pdf``: what the file is called when downloaded."""
    return f"{seller_order.reference}-{kind.replace('_', '-')}.pdf"


def commercial_invoice_pdf(seller_order: SellerOrder, *, language: str = "en") -> bytes:
    """The commercial invoice of a seller's part: who exports what to whom, at what value, on which terms."""
    with translation.override(language):
        parts = _Parts.of(seller_order, language)
        seller_order, currency = parts.seller_order, parts.order.currency
        pdf = _document_start(parts, _("Commercial invoice"))
        details = [
            (_("Invoice number"), seller_order.reference),
            (_("Date"), parts.issued.isoformat()),
            (_("Order"), parts.order.reference),
            (_("Incoterm"), parts.incoterm),
            (_("Currency"), currency),
        ]
        _key_values(pdf, details)
        _parties(pdf, parts)
        headings = [
            _("Description"),
            _("HS code"),
            _("Country of origin"),
            _("Quantity"),
            _("Unit price"),
            _("Line total"),
        ]
        rows = [
            [
                line.title,
                line.hs_code,
                country_name(line.origin_country, language),
                str(line.quantity),
                _money(line.unit_price, currency),
                _money(line.line_total, currency),
            ]
            for line in parts.lines
        ]
        _lines_table(pdf, INVOICE_COLUMNS, ("LEFT", "LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT"), headings, rows)
        totals = [
            (_("Products"), _money(seller_order.subtotal, currency)),
            (_("Shipping"), _money(seller_order.shipping, currency)),
            (_("Total"), _money(seller_order.total, currency)),
            (_("Total net weight"), _weight(parts.net_weight_grams)),
        ]
        _key_values(pdf, totals, align="RIGHT", bold_values=(2,), keep_with=4 * LINE_HEIGHT)
        _paragraph(
            pdf,
            _(
                "We declare that the information on this invoice is true and correct and that the goods "
                "are of the stated origin."
            ),
        )
        _paragraph(
            pdf, _("For the exporter: %(name)s") % {"name": parts.seller.contact_name or parts.seller.legal_name}
        )
        return bytes(pdf.output())


def packing_list_pdf(seller_order: SellerOrder, *, language: str = "en") -> bytes:
    """The packing list of a seller's part: what is in the parcels and what they weigh."""
    with translation.override(language):
        parts = _Parts.of(seller_order, language)
        seller_order = parts.seller_order
        pdf = _document_start(parts, _("Packing list"))
        details = [
            (_("Packing list for invoice"), seller_order.reference),
            (_("Date"), parts.issued.isoformat()),
            (_("Order"), parts.order.reference),
            (_("Incoterm"), parts.incoterm),
        ]
        if seller_order.carrier:
            details.append((_("Carrier"), seller_order.carrier))
        if seller_order.tracking_number:
            details.append((_("Tracking number"), seller_order.tracking_number))
        if seller_order.shipped_at:
            details.append((_("Shipped on"), timezone.localtime(seller_order.shipped_at).date().isoformat()))
        _key_values(pdf, details)
        _parties(pdf, parts)
        headings = [_("Description"), _("HS code"), _("Quantity"), _("Unit weight"), _("Line weight")]
        rows = [
            [
                line.title,
                line.hs_code,
                str(line.quantity),
                _weight(line.weight_grams),
                _weight(line.weight_grams * line.quantity),
            ]
            for line in parts.lines
        ]
        _lines_table(pdf, PACKING_COLUMNS, ("LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT"), headings, rows)
        totals = [
            (_("Items"), str(sum(line.quantity for line in parts.lines))),
            (_("Net weight"), _weight(parts.net_weight_grams)),
        ]
        if seller_order.packed_weight_grams:
            totals.append((_("Gross weight (packed)"), _weight(seller_order.packed_weight_grams)))
        if seller_order.parcels:
            totals.append((_("Parcels"), str(seller_order.parcels)))
        _key_values(pdf, totals, align="RIGHT")
        return bytes(pdf.output())


def has_export_documents(seller_order: SellerOrder) -> bool:
    """A declined part is not exported, nor one cancelled before it left: it has no documents."""
    if seller_order.status == SellerOrder.Status.CANCELLED:
        return seller_order.shipped_at is not None
    return seller_order.status != SellerOrder.Status.DECLINED


def seller_order_documents_make(seller_order: SellerOrder, *, language: str = "en") -> list[SellerOrderDocument]:
    """(Re)make the commercial invoice and the packing list of a seller's part, one row per kind.
    Idempotent: a row made before is given the new file, and its old file is deleted once committed."""
    makers = (
        (SellerOrderDocument.Kind.COMMERCIAL_INVOICE, commercial_invoice_pdf),
        (SellerOrderDocument.Kind.PACKING_LIST, packing_list_pdf),
    )
    contents = [(kind, make(seller_order, language=language)) for kind, make in makers]
    documents = []
    with transaction.atomic():
        # The task and a download may make the documents at the same time: one waits for the other.
        SellerOrder.objects.select_for_update().filter(pk=seller_order.pk).exists()
        existing = {
            document.kind: document for document in SellerOrderDocument.objects.filter(seller_order=seller_order)
        }
        for kind, content in contents:
            document = existing.get(kind) or SellerOrderDocument(seller_order=seller_order, kind=kind)
            old_name = document.file.name if document.file else ""
            document.file.save(document_file_name(seller_order, kind), ContentFile(content), save=True)
            if old_name and old_name != document.file.name:
                transaction.on_commit(lambda storage=document.file.storage, name=old_name: storage.delete(name))
            documents.append(document)
    return documents


@dataclass
class _Parts:
    """What both documents show, read afresh from the database once."""

    seller_order: SellerOrder
    order: Order
    seller: "Seller"
    lines: list[OrderLine]
    language: str
    issued: date
    incoterm: str
    net_weight_grams: int

    @classmethod
    def of(cls, seller_order: SellerOrder, language: str) -> "_Parts":
        seller_order = SellerOrder.objects.select_related("order", "seller__region").get(pk=seller_order.pk)
        order = seller_order.order
        lines = list(seller_order.lines.order_by("pk"))
        issued = timezone.localtime(order.paid_at or order.placed_at).date()
        place = ", ".join(part for part in (order.ship_city, country_name(order.ship_country, language)) if part)
        return cls(
            seller_order=seller_order,
            order=order,
            seller=seller_order.seller,
            lines=lines,
            language=language,
            issued=issued,
            incoterm=f"{seller_order.incoterm} {place}".strip(),
            net_weight_grams=sum(line.weight_grams * line.quantity for line in lines),
        )

    @property
    def moment(self) -> datetime:
        return self.order.paid_at or self.order.placed_at

    def exporter_lines(self) -> list[str]:
        seller = self.seller
        lines = [seller.legal_name]
        if seller.register_number:
            lines.append(_("Register number: %(number)s") % {"number": seller.register_number})
        lines.append(", ".join(part for part in (seller.city, seller.region.localized_name) if part))
        lines.append(country_name(seller.country, self.language))
        if seller.contact_name:
            lines.append(_("Contact: %(name)s") % {"name": seller.contact_name})
        lines.append(_("Email: %(email)s") % {"email": seller.email})
        if seller.phone:
            lines.append(_("Phone: %(phone)s") % {"phone": seller.phone})
        return lines

    def consignee_lines(self) -> list[str]:
        order = self.order
        lines = [
            order.ship_name,
            order.ship_line1,
            order.ship_line2,
            " ".join(part for part in (order.ship_postal_code, order.ship_city) if part),
            order.ship_region,
            country_name(order.ship_country, self.language),
        ]
        if order.ship_phone:
            lines.append(_("Phone: %(phone)s") % {"phone": order.ship_phone})
        lines.append(_("Email: %(email)s") % {"email": order.email})
        return [line for line in lines if line]


class _ExportDocumentPDF(FPDF):
    def __init__(self, footer_text: str):
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.footer_text = footer_text

    def footer(self):
        self.set_y(-12)
        self.set_font(FONT, size=7)
        page = _("Page %(page)s of %(pages)s") % {"page": self.page_no(), "pages": self.str_alias_nb_pages}
        self.cell(0, 5, _clean(f"{self.footer_text} · {page}"), align="C")


def _document_start(parts: _Parts, title: str) -> FPDF:
    pdf = _ExportDocumentPDF(footer_text=f"{title} {parts.seller_order.reference}")
    pdf.add_font(FONT, "", FONTS_DIR / "DejaVuSans.ttf")
    pdf.add_font(FONT, "B", FONTS_DIR / "DejaVuSans-Bold.ttf")
    # Fixed from the order, so that the same part always makes the same bytes.
    pdf.set_creation_date(parts.moment)
    pdf.set_title(_clean(f"{title} {parts.seller_order.reference}"))
    pdf.set_author(_clean(parts.seller.legal_name))
    pdf.set_creator("Souk Export")
    pdf.set_lang(parts.language)
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()
    pdf.set_font(FONT, "B", 16)
    pdf.multi_cell(0, 9, _clean(title.upper()), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(FONT, size=BODY_SIZE)
    return pdf


def _table_style() -> dict:
    return {
        "headings_style": FontFace(emphasis="BOLD", fill_color=HEADING_FILL),
        "line_height": LINE_HEIGHT,
        "padding": 1,
    }


def _lines_table(pdf: FPDF, widths: tuple, aligns: tuple, headings: list[str], rows: list[list[str]]) -> None:
    """The goods, one row a line; its heading repeats at the top of every page it runs onto."""
    with pdf.table(col_widths=widths, text_align=aligns, **_table_style()) as table:
        _row(table, headings)
        for row in rows:
            _row(table, row)
    pdf.ln(2)


def _paragraph(pdf: FPDF, text: str) -> None:
    pdf.multi_cell(0, LINE_HEIGHT, _clean(text), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


def _row(table, texts: list[str]) -> None:
    row = table.row()
    for text in texts:
        row.cell(_clean(text))


def _key_values(
    pdf: FPDF, pairs: list[tuple[str, str]], *, align: str = "LEFT", bold_values: tuple = (), keep_with: float = 0
) -> None:
    """Labels and their values, two columns without a heading, kept on one page (with ``keep_with`` mm of
    what follows)."""
    if pdf.will_page_break(len(pairs) * (LINE_HEIGHT + 1) + keep_with):
        pdf.add_page()
    bold = FontFace(emphasis="BOLD")
    with pdf.table(
        col_widths=(45, 55),
        width=110,
        align=align,
        first_row_as_headings=False,
        borders_layout="NONE",
        line_height=LINE_HEIGHT,
        padding=(0.5, 1),
        text_align=("LEFT", "RIGHT" if align == "RIGHT" else "LEFT"),
    ) as table:
        for index, (label, value) in enumerate(pairs):
            row = table.row()
            row.cell(_clean(label), style=bold)
            row.cell(_clean(value), style=bold if index in bold_values else None)
    pdf.ln(3)


def _parties(pdf: FPDF, parts: _Parts) -> None:
    with pdf.table(col_widths=(50, 50), **_table_style()) as table:
        _row(table, [_("Exporter (seller)"), _("Consignee (buyer)")])
        _row(table, ["\n".join(parts.exporter_lines()), "\n".join(parts.consignee_lines())])
    pdf.ln(4)


def _money(amount: Decimal, currency: str) -> str:
    """An amount in the order's currency, written like the site's prices."""
    return _("%(amount)s %(currency)s") % {
        "amount": number_format(money_round(amount, currency), force_grouping=True, use_l10n=True),
        "currency": currency,
    }


def _weight(grams: int) -> str:
    return _("%(weight)s kg") % {
        "weight": number_format(Decimal(grams) / 1000, decimal_pos=3, force_grouping=True, use_l10n=True)
    }


def _clean(text) -> str:
    """Text the PDF can hold: no control characters (a tab is a space), line breaks kept."""
    text = str(text or "").replace("\t", " ").replace("\r\n", "\n").replace("\r", "\n")
    return "".join(char for char in text if char == "\n" or unicodedata.category(char) not in ("Cc", "Cs"))
