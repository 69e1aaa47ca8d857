"""The pro-forma invoice of a quote, as PDF: what the seller offers the buyer's company (goods, prices in
the base currency, incoterm, lead time, deposit and balance), for the buyer's bank, import licence or
budget. It is not a demand for payment: the order placed from an accepted quote is.

It is drawn with the export documents' helpers (``marketplace/orders/documents.py``: fonts, HarfBuzz
shaping for Arabic names, tables, money written as the site writes it), in the active language (the
task renders it in the request's).
"""

from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from currency.selectors import base_currency, exchange_rate, money_round
from marketplace.orders.documents import (
    LINE_HEIGHT,
    _key_values,
    _lines_table,
    _money,
    _paragraph,
    pdf_document_new,
    pdf_parties,
    seller_party_lines,
)
from marketplace.shipping.countries import country_name

from .models import Quote

# Fractions of the page width: description, HS code, quantity, unit price, line total.
PROFORMA_COLUMNS = (46, 12, 10, 16, 16)


def proforma_pdf(quote: Quote) -> bytes:
    """The quote's pro-forma invoice, in the active language. Amounts are in the base currency, the
    total also converted into the currency of the request at today's rate (an estimate, said so)."""
    language = get_language() or settings.LANGUAGE_CODE
    quote = Quote.objects.select_related("thread__request__company", "thread__seller__region").get(pk=quote.pk)
    thread, lines = quote.thread, list(quote.lines.order_by("pk"))
    request, seller = thread.request, thread.seller
    currency = base_currency()
    total = quote.total_base
    deposit = money_round(total * Decimal(quote.deposit_percent) / 100, currency) \
        if 0 < quote.deposit_percent < 100 else Decimal(0)

    title = _("Pro-forma invoice")
    pdf = pdf_document_new(title=title, reference=quote.reference, author=seller.legal_name,
                           moment=quote.created_at, language=language)
    details = [
        (_("Pro-forma invoice number"), quote.reference),
        (_("Date"), timezone.localtime(quote.created_at).date().isoformat()),
        (_("Valid until"), quote.valid_until.isoformat()),
        (_("Request for quote"), request.reference),
        (_("Quote for"), quote.get_kind_display()),
        (_("Incoterm"), f"{quote.incoterm} {quote.incoterm_place}".strip()),
        (_("Lead time"), _lead_time(quote)),
        (_("Currency"), currency),
    ]
    if quote.delivery_days:
        details.insert(7, (_("Transit"), _("%(days)d days from dispatch") % {"days": quote.delivery_days}))
    _key_values(pdf, details)
    pdf_parties(pdf, [_("Seller"), _("Buyer")], _seller_lines(seller, language), _buyer_lines(request, language))

    headings = [_("Description"), _("HS code"), _("Quantity"), _("Unit price"), _("Line total")]
    rows = [
        [line.description, line.hs_code, str(line.quantity), _money(line.unit_price_base, currency),
         _money(line.line_total_base, currency)]
        for line in lines
    ]
    _lines_table(pdf, PROFORMA_COLUMNS, ("LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT"), headings, rows)

    totals = [
        (_("Products"), _money(quote.subtotal_base, currency)),
        (_("Shipping"), _money(quote.shipping_base, currency)),
        (_("Total"), _money(total, currency)),
    ]
    bold = (len(totals) - 1,)
    converted = _converted(total, currency, request.currency)
    if converted:
        totals.append((_("Total in %(currency)s") % {"currency": request.currency}, converted))
    if deposit:
        totals += [
            (_("Deposit (%(percent)d%%)") % {"percent": quote.deposit_percent}, _money(deposit, currency)),
            (_("Balance"), _money(total - deposit, currency)),
        ]
    _key_values(pdf, totals, align="RIGHT", bold_values=bold, keep_with=4 * LINE_HEIGHT)

    if converted:
        _paragraph(pdf, _("The total in %(currency)s is an estimate at today's exchange rate; an order is "
                          "charged at the rate of the day it is placed.") % {"currency": request.currency})
    _paragraph(pdf, _payment_terms(quote, deposit, currency))
    if quote.kind == Quote.Kind.SAMPLE:
        _paragraph(pdf, _("Samples: the price of these samples is credited against the bulk order from this "
                          "seller.") if quote.sample_credited
                   else _("Samples: the price of these samples is not credited against a bulk order."))
    _paragraph(pdf, _("Incoterm: %(incoterm)s, %(place)s (Incoterms 2020).")
               % {"incoterm": quote.get_incoterm_display(), "place": quote.incoterm_place})
    if quote.notes:
        _paragraph(pdf, _("Terms and notes: %(notes)s") % {"notes": quote.notes})
    _paragraph(pdf, _("This pro-forma invoice is not a demand for payment. It sets out the goods, prices and "
                      "terms the seller offers until the date of validity; the order placed when the quote is "
                      "accepted is what the buyer pays, and the commercial invoice comes with the goods."))
    return bytes(pdf.output())


def _lead_time(quote: Quote) -> str:
    if quote.kind == Quote.Kind.SAMPLE or not 0 < quote.deposit_percent < 100:
        return _("%(days)d days from payment to dispatch") % {"days": quote.lead_time_days}
    return _("%(days)d days from the deposit to dispatch") % {"days": quote.lead_time_days}


def _payment_terms(quote: Quote, deposit: Decimal, currency: str) -> str:
    if deposit:
        return _("Payment: a deposit of %(percent)d%% (%(deposit)s) when the quote is accepted, to start the "
                 "work; the balance (%(balance)s) before dispatch.") % {
            "percent": quote.deposit_percent, "deposit": _money(deposit, currency),
            "balance": _money(quote.total_base - deposit, currency)}
    if quote.kind == Quote.Kind.SAMPLE:
        return _("Payment: in full when the quote is accepted, before the samples are made.")
    return _("Payment: in full when the quote is accepted, before the work starts.")


def _converted(total: Decimal, currency: str, target: str) -> str:
    """"about 1,234.50 €": the total in the request's currency, or "" in the base currency or without a rate."""
    if not target or target == currency:
        return ""
    try:
        rate = exchange_rate(currency, target)
    except (KeyError, ArithmeticError):
        return ""
    return _("about %(amount)s") % {"amount": _money(money_round(total * rate, target), target)}


def _seller_lines(seller, language: str) -> list[str]:
    lines = seller_party_lines(seller, language)
    if seller.postal_address.strip():
        # After the name and register number: the full postal address where the seller gave one.
        at = 2 if seller.register_number else 1
        lines.insert(at, seller.postal_address.strip())
    return lines


def _buyer_lines(request, language: str) -> list[str]:
    company = request.company
    lines = [company.legal_name, country_name(company.country, language)]
    if company.register_number:
        lines.append(_("Register number: %(number)s") % {"number": company.register_number})
    if company.vat_number:
        lines.append(_("VAT number: %(number)s") % {"number": company.vat_number})
    if company.eori_number:
        lines.append(_("EORI number: %(number)s") % {"number": company.eori_number})
    place = ", ".join(part for part in (request.destination_place,
                                        country_name(request.destination_country, language)) if part)
    lines.append(_("Destination: %(place)s") % {"place": place})
    return lines
