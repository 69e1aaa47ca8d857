"""The sector in figures, as published: aggregates only, and no cell that stands for fewer than
``SMALL_CELL`` sellers (or, for exports, fewer than ``SMALL_CELL`` orders; for requests for quote,
fewer than ``SMALL_CELL`` requests), so that no figure tells
about a single cooperative or buyer. Small cells are merged into one "other" line, which is itself
left out when it is still small.

The same ``SectorFigures`` feed the page, the CSV and the JSON (open data), with stable keys (region
codes, trade codes, ISO countries, months) beside the labels of the active language.
"""

from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from catalog.models import Product, ProductPage
from currency.selectors import base_currency
from labels.models import LabelCertificate
from marketplace.shipping.countries import country_name
from sellers.models import Region, Seller, Trade, localized_name

from . import selectors

SMALL_CELL = 5
MONTHS = 12
CACHE_SECONDS = 3600
OTHER = "other"


@dataclass(frozen=True)
class Cell:
    key: str
    label: str
    value: int | Decimal
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Table:
    name: str  # stable, for the CSV and JSON
    title: str
    value_label: str
    cells: list[Cell]
    hidden_cells: int = 0  # cells too small to show, even merged


@dataclass(frozen=True)
class SectorFigures:
    as_of: date
    period_start: date
    period_end: date
    currency: str
    verified_sellers: int | None
    listed_products: int | None
    labelled_products: int | None
    active_certificates: int
    tables: list[Table]
    monthly_exports: list[Cell]  # value None where the month is too small to publish
    median_hours_to_accept: float | None
    declined_share: float | None

    def as_dict(self) -> dict:
        data = asdict(self)
        for key in ("as_of", "period_start", "period_end"):
            data[key] = data[key].isoformat()
        return _plain(data)


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def sector_figures(*, today: date | None = None) -> SectorFigures:
    """The published figures in the active language, cached for an hour (they change slowly)."""
    today = today or timezone.localdate()
    key = f"observatory:public:{get_language()}:{today.isoformat()}"
    return cache.get_or_set(key, lambda: _sector_figures(today), CACHE_SECONDS)


def _sector_figures(today: date) -> SectorFigures:
    months = selectors.months_back(MONTHS, until=today)
    start, end = months[0], today + timedelta(days=1)
    verified = Seller.objects.filter(status=Seller.Status.VERIFIED)
    verified_count = verified.count()
    products = selectors.products_by("branch")
    listed, labelled = sum(item.products for item in products), sum(item.labelled for item in products)
    sellers_with_products = sum(item.sellers for item in products)
    tables = [
        _sellers_table("sellers_by_region", _("Verified sellers by region"), "region"),
        _sellers_table("sellers_by_branch", _("Verified sellers by branch of trade"), "branch"),
        _sellers_table("sellers_by_kind", _("Verified sellers by type"), "kind"),
        _products_table(products),
        _exports_table(start, end),
        _quotes_table(start, end),
        _certificates_table(),
    ]
    monthly = [
        Cell(key=item.key, label=item.key,
             value=item.value if item.sellers >= SMALL_CELL and item.orders >= SMALL_CELL else None)
        for item in selectors.exports_by_month(months=months)
    ]
    fulfilment = selectors.fulfilment_figures(start=start, end=end)
    enough_parts = fulfilment.total >= SMALL_CELL * 2
    return SectorFigures(
        as_of=today, period_start=start, period_end=today, currency=base_currency(),
        verified_sellers=verified_count if verified_count >= SMALL_CELL else None,
        listed_products=listed if sellers_with_products >= SMALL_CELL else None,
        labelled_products=labelled if sellers_with_products >= SMALL_CELL else None,
        active_certificates=LabelCertificate.objects.filter(status=LabelCertificate.Status.ACTIVE).count(),
        tables=tables, monthly_exports=monthly,
        median_hours_to_accept=round(fulfilment.median_hours_to_accept, 1)
        if enough_parts and fulfilment.median_hours_to_accept is not None else None,
        declined_share=round(fulfilment.declined_share, 3)
        if enough_parts and fulfilment.declined_share is not None else None,
    )


def _merged(name, title, value_label, cells_with_sellers, merged_counter) -> Table:
    """Keep the cells of at least SMALL_CELL sellers; merge the rest into one "other" cell, whose
    sellers ``merged_counter(keys)`` counts exactly (a seller may be in several cells); drop it if small.
    ``merged_counter`` returns (value, sellers), or (value, sellers, extra) for a table with extras."""
    kept = [cell for cell, sellers in cells_with_sellers if sellers >= SMALL_CELL]
    small = [cell for cell, sellers in cells_with_sellers if sellers < SMALL_CELL]
    hidden = 0
    if small:
        value, sellers, *extra = merged_counter([cell.key for cell in small])
        if sellers >= SMALL_CELL:
            kept.append(Cell(key=OTHER, label=_("Other (%(count)d smaller groups)") % {"count": len(small)},
                             value=value, extra=extra[0] if extra else {}))
        else:
            hidden = len(small)
    return Table(name=name, title=title, value_label=value_label, cells=kept, hidden_cells=hidden)


def _sellers_table(name: str, title: str, dimension: str) -> Table:
    figures = selectors.sellers_by(dimension)
    keys = {"region": dict(Region.objects.values_list("pk", "code")),
            "branch": dict(Trade.objects.values_list("pk", "code"))}.get(dimension)
    cells = []
    for figure in figures:
        verified = figure.by_status[Seller.Status.VERIFIED]
        if verified:
            key = keys[int(figure.key)] if keys else figure.key
            cells.append((Cell(key=key, label=figure.label, value=verified), verified))

    def merged(small_keys):
        lookup = {"region": "region__code__in", "branch": "trades__parent__code__in", "kind": "kind__in"}[dimension]
        count = Seller.objects.filter(status=Seller.Status.VERIFIED, **{lookup: small_keys}).distinct().count()
        return count, count

    return _merged(name, title, _("Sellers"), cells, merged)


def _products_table(products) -> Table:
    codes = dict(Trade.objects.values_list("pk", "code"))
    cells = [(Cell(key=codes[int(item.key)], label=item.label, value=item.products,
                   extra={"labelled": item.labelled}), item.sellers) for item in products]

    def merged(small_keys):
        rows = Product.objects.filter(craft__parent__code__in=small_keys,
                                      pk__in=ProductPage.objects.live().values("product"))
        totals = rows.aggregate(products=Count("pk", distinct=True), sellers=Count("seller", distinct=True))
        return totals["products"], totals["sellers"]

    return _merged("products_by_branch", _("Listed products by branch of craft"), _("Products"), cells, merged)


def _exports_table(start: date, end: date) -> Table:
    rows = selectors.exports_by_country(start=start, end=end)
    cells = [(Cell(key=item.key, label=country_name(item.key), value=item.value, extra={"orders": item.orders}),
              min(item.sellers, item.orders)) for item in rows]

    def merged(small_keys):
        parts = selectors.exported_parts(start, end).filter(order__ship_country__in=small_keys)
        totals = parts.aggregate(value=Sum("subtotal_base"), orders=Count("order", distinct=True),
                                 sellers=Count("seller", distinct=True))
        return totals["value"] or Decimal(0), min(totals["orders"], totals["sellers"])

    return _merged("exports_by_country", _("Exports by destination, last 12 months"),
                   _("Value (%(currency)s)") % {"currency": base_currency()}, cells, merged)


def _quotes_table(start: date, end: date) -> Table:
    """Requests for quote by the region of the seller asked, as the exports: a cell stands for at least
    SMALL_CELL sellers and SMALL_CELL requests, so that it tells about neither one seller nor one buyer."""
    figures = selectors.quote_figures(by="region", start=start, end=end)
    codes = dict(Region.objects.values_list("pk", "code"))
    keys = {codes[int(item.key)]: item.key for item in figures}
    cells = [(Cell(key=codes[int(item.key)], label=item.label, value=item.received, extra=_quote_extra(item)),
              min(item.sellers, item.requests)) for item in figures]

    def merged(small_keys):
        item = selectors.quote_figures_merged(by="region", keys=[keys[key] for key in small_keys], start=start,
                                              end=end)
        return item.received, min(item.sellers, item.requests), _quote_extra(item)

    return _merged("quotes_by_region", _("Requests for quote by region of the seller, last 12 months"),
                   _("Requests received"), cells, merged)


def _quote_extra(item: selectors.QuoteFigures) -> dict:
    def rounded(value, digits):
        return None if value is None else round(value, digits)

    return {"median_response_hours": rounded(item.median_response_hours, 1),
            "answered_within_target": rounded(item.within_target_share, 3),
            "conversion": rounded(item.conversion_share, 3)}


def _certificates_table() -> Table:
    """Certificates are public records (anyone can verify one), so no cell is merged here."""
    rows = (LabelCertificate.objects.filter(status=LabelCertificate.Status.ACTIVE)
            .values("scheme__code", "scheme__name", "scheme__name_fr", "scheme__name_ar")
            .annotate(count=Count("pk")).order_by("-count", "scheme__code"))
    cells = [Cell(key=row["scheme__code"], label=localized_name(row["scheme__name"], row["scheme__name_fr"],
                                                                row["scheme__name_ar"]), value=row["count"])
             for row in rows]
    return Table(name="active_certificates_by_scheme", title=_("Active quality certificates by label"),
                 value_label=_("Certificates"), cells=cells)
