"""Export documents of a seller's part of an order: the commercial invoice, the packing list and the
CN 23 customs declaration of its parcels, as PDF.

Customs documents are in English unless asked otherwise; every string is translatable all the same.
The fonts are vendored (``fonts/``, DejaVu Sans) so a machine without system fonts makes the same PDF.
Text is shaped with HarfBuzz (``uharfbuzz``): Arabic names and addresses print joined and right to left,
stored in logical order so that they copy and extract as typed. Characters DejaVu lacks (CJK, for one)
are left out with a warning rather than failing.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from fpdf import FPDF, FontFace

from currency.selectors import money_format, money_round
from customs.origin_statements import origin_statement_text, origin_statement_wording
from marketplace.shipping.countries import country_name

from .models import Order, OrderCharge, OrderLine, SellerOrder, SellerOrderDocument

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
CN23_COLUMNS = (36, 9, 13, 15, 13, 14)
COLLECTION_NUMBER_LABELS = {
    "ioss": gettext_lazy("IOSS number"),
    "uk_vat": gettext_lazy("UK VAT number"),
}


def document_file_name(seller_order: SellerOrder, kind: str) -> str:
    """``SE26-7KQ4MZ-1-commercial-invoice.pdf``: what the file is called when downloaded."""
    return f"{seller_order.reference}-{kind.replace('_', '-')}.pdf"


def commercial_invoice_pdf(seller_order: SellerOrder, *, language: str = "en") -> bytes:
    """The commercial invoice of a seller's part: who exports what to whom, at what value, on which terms,
    with the statement on origin that gives preferential goods their duty-free entry."""
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
        details += parts.collection_details()
        _key_values(pdf, details)
        _parties(pdf, parts)
        headings = [
            _("Description"),
            _("HS code (edition)"),
            _("Country of origin"),
            _("Quantity"),
            _("Unit price"),
            _("Line total"),
        ]
        rows = [
            [
                line.title,
                f"{line.hs_code}\n{line.hs_edition}",
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
        ]
        totals += [(_charge_label(charge), _money(charge.amount, currency)) for charge in parts.charges_collected()]
        totals += [
            (_("Total"), _money(seller_order.total, currency)),
            (_("Total net weight"), _weight(parts.net_weight_grams)),
        ]
        _key_values(pdf, totals, align="RIGHT", bold_values=(len(totals) - 2,), keep_with=4 * LINE_HEIGHT)
        if seller_order.charges_due:
            _paragraph(
                pdf,
                _(
                    "Import duties and taxes are not included in this invoice: the consignee pays them on "
                    "delivery (estimate: %(amount)s)."
                )
                % {"amount": _money(seller_order.charges_due, currency)},
            )
        if parts.order.reverse_charge:
            _paragraph(pdf, reverse_charge_mention(parts.order))
        statement = parts.origin_statement
        if statement is not None:
            _origin_statement(pdf, statement)
        _paragraph(
            pdf,
            _(
                "We declare that the information on this invoice is true and correct and that the goods "
                "are of the stated origin."
            ),
        )
        _signature(pdf, parts)
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


def customs_declaration_pdf(seller_order: SellerOrder, *, language: str = "en") -> bytes:
    """The CN 23 customs declaration of a postal shipment: one sheet per parcel, each declaring the part's
    contents (the parts do not record which line went into which parcel), to stick on the parcel."""
    with translation.override(language):
        parts = _Parts.of(seller_order, language)
        seller_order, currency = parts.seller_order, parts.order.currency
        parcels = seller_order.parcels or 1
        title = _("Customs declaration CN 23")
        pdf = _document_start(parts, title)
        for parcel in range(1, parcels + 1):
            if parcel > 1:
                pdf.add_page()
                _title(pdf, title)
            details = [
                (_("Parcel"), _("%(number)s of %(count)s") % {"number": parcel, "count": parcels}),
                (_("Invoice number"), seller_order.reference),
                (_("Date"), parts.issued.isoformat()),
                (_("Category of item"), _("Sale of goods")),
            ]
            details += parts.collection_details(importer_reference=True)
            if seller_order.carrier:
                details.append((_("Carrier"), seller_order.carrier))
            if seller_order.tracking_number:
                details.append((_("Tracking number"), seller_order.tracking_number))
            _key_values(pdf, details)
            _parties(pdf, parts, headings=(_("From (sender)"), _("To (addressee)")))
            headings = [
                _("Detailed description of contents"),
                _("Quantity"),
                _("Net weight"),
                _("Value"),
                _("HS tariff number"),
                _("Country of origin of goods"),
            ]
            rows = [
                [
                    line.title,
                    str(line.quantity),
                    _weight(line.weight_grams * line.quantity),
                    _money(line.line_total, currency),
                    f"{line.hs_code}\n{line.hs_edition}",
                    country_name(line.origin_country, language),
                ]
                for line in parts.lines
            ]
            _lines_table(pdf, CN23_COLUMNS, ("LEFT", "RIGHT", "RIGHT", "RIGHT", "LEFT", "LEFT"), headings, rows)
            # Each sheet declares the whole consignment: with several parcels, the totals say so, so that
            # nobody adds up the sheets.
            if parcels == 1:
                labels = (_("Total net weight"), _("Total gross weight"), _("Total value"), _("Postage/fees"))
            else:
                labels = (
                    _("Total net weight (all parcels)"),
                    _("Total gross weight (all parcels)"),
                    _("Total value (all parcels)"),
                    _("Postage/fees (all parcels)"),
                )
            totals = [(labels[0], _weight(parts.net_weight_grams))]
            if seller_order.packed_weight_grams:
                totals.append((labels[1], _weight(seller_order.packed_weight_grams)))
            totals += [
                (labels[2], _money(seller_order.subtotal, currency)),
                (labels[3], _money(seller_order.shipping, currency)),
            ]
            _key_values(pdf, totals, align="RIGHT", keep_with=6 * LINE_HEIGHT)
            _paragraph(
                pdf,
                _(
                    "I certify that the particulars given in this customs declaration are correct and that "
                    "this item does not contain any dangerous article or articles prohibited by legislation "
                    "or by postal or customs regulations."
                ),
            )
            _signature(pdf, parts, label=_("Date and sender's signature"))
        return bytes(pdf.output())


def has_export_documents(seller_order: SellerOrder) -> bool:
    """A declined part is not exported, nor one cancelled before it left: it has no documents."""
    if seller_order.status == SellerOrder.Status.CANCELLED:
        return seller_order.shipped_at is not None
    return seller_order.status != SellerOrder.Status.DECLINED


def seller_order_documents_make(seller_order: SellerOrder, *, language: str = "en") -> list[SellerOrderDocument]:
    """(Re)make the export documents of a seller's part (invoice, packing list, CN 23), one row per kind.
    Idempotent: a row made before is given the new file, and its old file is deleted once committed."""
    makers = (
        (SellerOrderDocument.Kind.COMMERCIAL_INVOICE, commercial_invoice_pdf),
        (SellerOrderDocument.Kind.PACKING_LIST, packing_list_pdf),
        (SellerOrderDocument.Kind.CUSTOMS_DECLARATION, customs_declaration_pdf),
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
class OriginStatement:
    """What a commercial invoice says about the preferential origin of its goods: the statements made (one
    per country of origin), or why none can be made, and the lines the statements do not cover."""

    statements: list[str] = field(default_factory=list)
    refusal: str = ""
    not_covered: list[str] = field(default_factory=list)


def origin_statement(seller_order: SellerOrder, *, lines: list[OrderLine] | None = None) -> OriginStatement | None:
    """The statement on origin of a seller's part, from the destination rule the order kept: ``None`` when
    none of its goods has a preferential origin there. Within the rule's limit any exporter may make it;
    above, only an approved exporter, whose number it quotes."""
    order, seller = seller_order.order, seller_order.seller
    snapshot = order.customs_rule_snapshot or {}
    preferential = set(re.split(r"[\s,]+", snapshot.get("preferential_origins") or "")) - {""}
    lines = list(seller_order.lines.order_by("pk")) if lines is None else lines
    wordings = {}
    for line in lines:
        wording = origin_statement_wording(snapshot.get("code", ""), line.origin_country)
        if line.origin_country in preferential and wording is not None:
            wordings[line.origin_country] = wording
    if not wordings:
        return None
    covered = [line for line in lines if line.origin_country in wordings]
    result = OriginStatement(not_covered=[line.title for line in lines if line.origin_country not in wordings])
    limit = snapshot.get("origin_statement_limit")
    rule_currency = snapshot.get("currency") or order.customs_currency
    approved_number = seller.approved_exporter_number.strip()
    if limit not in (None, "") and order.customs_rate is not None and not approved_number:
        value = money_round(
            sum((line.unit_price_base * line.quantity for line in covered), Decimal(0)) * order.customs_rate,
            rule_currency,
        )
        if value > Decimal(limit):
            result.refusal = _(
                "No statement on origin can be made on this invoice: the goods of preferential origin are worth "
                "%(value)s, above the %(limit)s up to which any exporter may make it, and the exporter has no "
                "approved exporter number. Ask customs for approved exporter status, or for a movement "
                "certificate EUR.1."
            ) % {"value": _money(value, rule_currency), "limit": _money(Decimal(limit), rule_currency)}
            return result
    # The agreements' wordings are English, so the origin is named in English whatever the invoice's language.
    result.statements = [
        origin_statement_text(wording, origin=country_name(origin, "en"), authorisation_number=approved_number)
        for origin, wording in sorted(wordings.items())
    ]
    return result


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
    origin_statement: OriginStatement | None

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
            origin_statement=origin_statement(seller_order, lines=lines),
        )

    def collection_details(self, *, importer_reference: bool = False) -> list[tuple[str, str]]:
        """The marketplace's number under which the VAT of this parcel was collected at sale, if it was."""
        seller_order = self.seller_order
        if not (seller_order.collection_scheme and seller_order.collection_number):
            return []
        if importer_reference:
            label = _("Importer's reference")
        else:
            label = str(COLLECTION_NUMBER_LABELS.get(seller_order.collection_scheme, _("Tax collected at sale under")))
        return [(label, seller_order.collection_number)]

    def charges_collected(self) -> list[OrderCharge]:
        """The duties and taxes of this part the marketplace collected at checkout, to remit."""
        return list(
            OrderCharge.objects.filter(order=self.order, seller=self.seller, collected_now=True).order_by("pk")
        )

    @property
    def moment(self) -> datetime:
        return self.order.paid_at or self.order.placed_at

    def exporter_lines(self) -> list[str]:
        return seller_party_lines(self.seller, self.language)

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
        if order.trade_company_id:
            lines.insert(0, order.trade_company.legal_name)
        if order.buyer_vat_number:
            lines.append(_("VAT number: %(number)s") % {"number": order.buyer_vat_number})
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
    # Fixed from the order, so that the same part always makes the same bytes.
    return pdf_document_new(title=title, reference=parts.seller_order.reference, author=parts.seller.legal_name,
                            moment=parts.moment, language=parts.language)


def pdf_document_new(*, title: str, reference: str, author: str, moment: datetime, language: str) -> FPDF:
    """A new A4 document in the export documents' look (vendored fonts, HarfBuzz shaping, margins, the
    footer "<title> <reference> · Page n of m"), its title printed on the first page. ``moment`` is its
    creation date, so that the same record always makes the same bytes. Also used by the quotes'
    pro-forma invoice (``marketplace/quotes/proforma.py``), with ``_key_values``, ``_lines_table``,
    ``_paragraph``, ``_money`` and ``pdf_parties``."""
    pdf = _ExportDocumentPDF(footer_text=f"{title} {reference}")
    pdf.add_font(FONT, "", FONTS_DIR / "DejaVuSans.ttf")
    pdf.add_font(FONT, "B", FONTS_DIR / "DejaVuSans-Bold.ttf")
    # HarfBuzz joins Arabic letters and lays right-to-left runs out in order (needs uharfbuzz). Latin
    # ligatures stay off, so that "ff" in "tariff" is searched and copied as two letters by customs' tools.
    pdf.set_text_shaping(use_shaping_engine=True, features={"liga": False})
    pdf.set_creation_date(moment)
    pdf.set_title(_clean(f"{title} {reference}"))
    pdf.set_author(_clean(author))
    pdf.set_creator("Souk Export")
    pdf.set_lang(language)
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()
    _title(pdf, title)
    return pdf


def _title(pdf: FPDF, title: str) -> None:
    pdf.set_font(FONT, "B", 16)
    pdf.multi_cell(0, 9, _clean(title.upper()), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(FONT, size=BODY_SIZE)


def _origin_statement(pdf: FPDF, statement: OriginStatement) -> None:
    if pdf.will_page_break(8 * LINE_HEIGHT):
        pdf.add_page()
    pdf.set_font(FONT, "B", BODY_SIZE)
    pdf.multi_cell(0, LINE_HEIGHT, _clean(_("Statement on origin")), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=BODY_SIZE)
    if statement.refusal:
        _paragraph(pdf, statement.refusal)
        return
    for text in statement.statements:
        _paragraph(pdf, text)
    if statement.not_covered:
        _paragraph(
            pdf,
            _("Not of preferential origin: %(products)s.") % {"products": "; ".join(statement.not_covered)},
        )


def _signature(pdf: FPDF, parts: _Parts, *, label: str = "") -> None:
    """Place and date, the signatory's name and a line to sign on, as statements on origin ask."""
    seller = parts.seller
    place = ", ".join(part for part in (seller.city, country_name(seller.country, parts.language)) if part)
    _paragraph(pdf, _("Place and date: %(place)s, %(date)s") % {"place": place, "date": parts.issued.isoformat()})
    _paragraph(pdf, _("For the exporter: %(name)s") % {"name": seller.contact_name or seller.legal_name})
    _paragraph(pdf, f"{label or _('Signature')}: ____________________________")


def reverse_charge_mention(order) -> str:
    """What an invoice without VAT to a VAT-registered importer must say, under the destination's law."""
    if order.customs_rule_code == "GB":
        # HMRC's own example wording for goods sold to a UK VAT-registered business.
        return _("Reverse charge: customer to account for VAT to HMRC (VAT number %(number)s).") % {
            "number": order.buyer_vat_number}
    return _("Reverse charge: import VAT to be accounted for by the recipient, art. 201 Directive 2006/112/EC "
             "(VAT number %(number)s).") % {"number": order.buyer_vat_number}


def _charge_label(charge: OrderCharge) -> str:
    name = charge.label or charge.get_kind_display().capitalize()
    if charge.preferential:
        return _("%(name)s (preferential origin)") % {"name": name}
    if charge.rate is not None:
        rate = format(charge.rate, "f")
        rate = number_format(Decimal(rate.rstrip("0").rstrip(".") if "." in rate else rate), use_l10n=True)
        return _("%(name)s %(rate)s%% (collected)") % {"name": name, "rate": rate}
    return _("%(name)s (collected)") % {"name": name}


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


def _parties(pdf: FPDF, parts: _Parts, *, headings: tuple[str, str] = ()) -> None:
    pdf_parties(pdf, list(headings) or [_("Exporter (seller)"), _("Consignee (buyer)")],
                parts.exporter_lines(), parts.consignee_lines())


def pdf_parties(pdf: FPDF, headings: list[str], left: list[str], right: list[str]) -> None:
    """The two parties side by side under their headings, one line of text each."""
    with pdf.table(col_widths=(50, 50), **_table_style()) as table:
        _row(table, headings)
        _row(table, ["\n".join(left), "\n".join(right)])
    pdf.ln(4)


def seller_party_lines(seller: "Seller", language: str) -> list[str]:
    """How a document names the seller: legal name, register number, town and region, country, contact."""
    lines = [seller.legal_name]
    if seller.register_number:
        lines.append(_("Register number: %(number)s") % {"number": seller.register_number})
    lines.append(", ".join(part for part in (seller.city, seller.region.localized_name) if part))
    lines.append(country_name(seller.country, language))
    if seller.contact_name:
        lines.append(_("Contact: %(name)s") % {"name": seller.contact_name})
    lines.append(_("Email: %(email)s") % {"email": seller.email})
    if seller.phone:
        lines.append(_("Phone: %(phone)s") % {"phone": seller.phone})
    return lines


def _money(amount: Decimal, currency: str) -> str:
    """An amount in the order's currency, written like the site's prices."""
    return money_format(amount, currency)


def _weight(grams: int) -> str:
    return _("%(weight)s kg") % {
        "weight": number_format(Decimal(grams) / 1000, decimal_pos=3, force_grouping=True, use_l10n=True)
    }


def _clean(text) -> str:
    """Text the PDF can hold: no control characters (a tab is a space), line breaks kept."""
    text = str(text or "").replace("\t", " ").replace("\r\n", "\n").replace("\r", "\n")
    return "".join(char for char in text if char == "\n" or unicodedata.category(char) not in ("Cc", "Cs"))
