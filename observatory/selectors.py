"""The sector's figures, computed from the platform's own records: sellers, products and labels, the
certificates' life, exports, how orders are fulfilled and how requests for quote are answered. Every function runs a fixed number of
aggregate queries, whatever the number of sellers or orders.

Amounts are in the base currency. "Exports" are the goods of paid orders that were not declined by
their seller (shipping left out), dated by the order's payment, placed by its destination country.
"""

import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from catalog.models import Product, ProductPage
from labels.models import LabelCertificate, LabelEvent
from marketplace.orders.models import Order, SellerOrder
from marketplace.quotes.models import Quote, QuoteThread
from marketplace.quotes.services import working_days_after
from sellers.models import Region, Seller, Trade

SELLER_STATUSES = (Seller.Status.PENDING, Seller.Status.AWAITING_REGISTRATION, Seller.Status.VERIFIED,
                   Seller.Status.SUSPENDED)
DIMENSIONS = ("region", "kind", "trade", "branch")  # branch: the trade's branch (e.g. weaving)


def month_start(day: date) -> date:
    return day.replace(day=1)


def months_back(count: int, *, until: date | None = None) -> list[date]:
    """The first days of the ``count`` months ending with ``until``'s month, oldest first."""
    month = month_start(until or timezone.localdate())
    months = [month]
    for _ in range(count - 1):
        month = month_start(month - timedelta(days=1))
        months.append(month)
    return months[::-1]


# --- sellers --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SellerFigures:
    key: str
    label: str
    total: int
    by_status: dict[str, int]
    inactive: int  # verified, yet no published product and no order for INACTIVE_AFTER_DAYS
    reporting_members: int  # sellers that gave their members' numbers
    members_women: int
    members_men: int

    @property
    def active(self) -> int:
        return self.by_status.get(Seller.Status.VERIFIED, 0) - self.inactive


def inactive_condition(now: datetime | None = None) -> Q:
    """A verified seller with no published product and no order part received in the period."""
    since = (now or timezone.now()) - timedelta(days=settings.SELLER_INACTIVE_AFTER_DAYS)
    live = ProductPage.objects.live().filter(product__seller=OuterRef("pk"))
    ordered = SellerOrder.objects.filter(seller=OuterRef("pk"), created_at__gte=since)
    return Q(status=Seller.Status.VERIFIED) & ~Q(Exists(live)) & ~Q(Exists(ordered))


def sellers_by(dimension: str, *, now: datetime | None = None) -> list[SellerFigures]:
    """Sellers per region, type or trade (a seller of two trades counts in both), with their status,
    how many of the verified ones are inactive, and their members by gender where given. Largest first."""
    if dimension not in DIMENSIONS:
        raise ValueError(f"dimension must be one of {DIMENSIONS}")
    group = {"region": "region_id", "kind": "kind", "trade": "trades", "branch": "trades__parent"}[dimension]
    counts = {f"status_{status}": Count("pk", filter=Q(status=status), distinct=True) for status in SELLER_STATUSES}
    rows = (
        Seller.objects.filter(**({"trades__isnull": False} if dimension in ("trade", "branch") else {}))
        .annotate(is_inactive=Q(inactive_condition(now)))
        .values(group)
        .annotate(total=Count("pk", distinct=True), **counts,
                  inactive=Count("pk", filter=Q(is_inactive=True), distinct=True),
                  reporting=Count("pk", filter=Q(members_women__isnull=False) | Q(members_men__isnull=False),
                                  distinct=True),
                  women=Sum("members_women"), men=Sum("members_men"))
        .order_by(group)
    )
    labels = _labels(dimension, [row[group] for row in rows])
    members = {row[group]: (row["women"] or 0, row["men"] or 0) for row in rows}
    if dimension == "branch":
        # A seller of two trades of one branch joins the branch twice: its members are summed once per
        # seller here (one query; the counts above are distinct already).
        members = {}
        pairs = Seller.objects.filter(trades__isnull=False).values_list(group, "pk", "members_women", "members_men")
        for key, _pk, women, men in set(pairs):
            total_women, total_men = members.get(key, (0, 0))
            members[key] = (total_women + (women or 0), total_men + (men or 0))
    figures = [
        SellerFigures(
            key=str(row[group]), label=labels.get(row[group], str(row[group])), total=row["total"],
            by_status={status: row[f"status_{status}"] for status in SELLER_STATUSES},
            inactive=row["inactive"], reporting_members=row["reporting"],
            members_women=members[row[group]][0], members_men=members[row[group]][1],
        )
        for row in rows
    ]
    return sorted(figures, key=lambda figure: (-figure.total, figure.label))


def _labels(dimension: str, keys) -> dict:
    if dimension == "kind":
        return dict(Seller.Kind.choices)
    model = Region if dimension == "region" else Trade  # trade, branch or craft
    return {item.pk: item.localized_name for item in model.objects.filter(pk__in=[key for key in keys if key])}


def sellers_inactive(*, now: datetime | None = None) -> list[Seller]:
    """The verified sellers that look dormant, for the chamber to contact."""
    return list(Seller.objects.filter(inactive_condition(now)).select_related("region").order_by("legal_name"))


# --- products and labels --------------------------------------------------------------------------


@dataclass(frozen=True)
class ProductFigures:
    key: str
    label: str
    products: int  # with a published page
    labelled: int  # of which covered by an active certificate
    sellers: int


def products_by(dimension: str) -> list[ProductFigures]:
    """Listed products per craft, branch of craft or region of origin, and how many carry an active label."""
    group = {"craft": "craft_id", "branch": "craft__parent_id", "region": "origin_region_id"}[dimension]
    live = ProductPage.objects.live().filter(product=OuterRef("pk"))
    active = LabelCertificate.objects.filter(products=OuterRef("pk"), status=LabelCertificate.Status.ACTIVE)
    rows = (
        Product.objects.filter(Exists(live)).annotate(has_label=Exists(active))
        .values(group)
        .annotate(products=Count("pk"), labelled=Count("pk", filter=Q(has_label=True)),
                  sellers=Count("seller", distinct=True))
        .order_by(group)
    )
    labels = _labels("region" if dimension == "region" else "trade", [row[group] for row in rows])
    figures = [ProductFigures(key=str(row[group]), label=labels.get(row[group], str(row[group])),
                              products=row["products"], labelled=row["labelled"], sellers=row["sellers"])
               for row in rows]
    return sorted(figures, key=lambda figure: (-figure.products, figure.label))


@dataclass
class CertificateMonth:
    scheme: str
    month: date
    issued: int = 0
    expired: int = 0
    revoked: int = 0


def certificates_by_scheme_and_month(*, start: date, end: date) -> list[CertificateMonth]:
    """Certificates issued (by their first day of validity), expired and revoked (by the day the
    decision was recorded) per scheme and month, for the months from ``start`` to before ``end``."""
    table: dict[tuple[str, date], CertificateMonth] = {}

    def cell(scheme, month):
        month = month.date() if isinstance(month, datetime) else month
        return table.setdefault((scheme, month), CertificateMonth(scheme=scheme, month=month))

    for row in (LabelCertificate.objects.filter(valid_from__gte=start, valid_from__lt=end)
                .annotate(month=TruncMonth("valid_from")).values("scheme__code", "month")
                .annotate(count=Count("pk"))):
        cell(row["scheme__code"], row["month"]).issued = row["count"]
    for row in (LabelEvent.objects.filter(action__in=["expired", "revoked"], created_at__date__gte=start,
                                          created_at__date__lt=end, application__certificate__isnull=False)
                .annotate(month=TruncMonth("created_at")).values("application__scheme__code", "month", "action")
                .annotate(count=Count("pk"))):
        setattr(cell(row["application__scheme__code"], row["month"]), row["action"], row["count"])
    return sorted(table.values(), key=lambda item: (item.month, item.scheme))


# --- exports ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportFigures:
    key: str  # a country code, or a month "2026-11"
    value: Decimal  # goods, in the base currency
    orders: int
    sellers: int


def exported_parts(start: date, end: date):
    return SellerOrder.objects.filter(
        order__status=Order.Status.PAID, order__paid_at__date__gte=start, order__paid_at__date__lt=end,
    ).exclude(status=SellerOrder.Status.DECLINED)


def exports_by_country(*, start: date, end: date) -> list[ExportFigures]:
    rows = (exported_parts(start, end).values("order__ship_country")
            .annotate(value=Sum("subtotal_base"), orders=Count("order", distinct=True),
                      sellers=Count("seller", distinct=True))
            .order_by())
    figures = [ExportFigures(key=row["order__ship_country"], value=row["value"] or Decimal(0), orders=row["orders"],
                             sellers=row["sellers"]) for row in rows]
    return sorted(figures, key=lambda figure: (-figure.value, figure.key))


@dataclass(frozen=True)
class ExportCell:
    month: date
    country: str
    value: Decimal
    orders: int
    sellers: int


def exports_by_country_and_month(*, start: date, end: date) -> list[ExportCell]:
    """Exports per destination and month, newest month first, largest destination first."""
    rows = (exported_parts(start, end).annotate(month=TruncMonth("order__paid_at"))
            .values("month", "order__ship_country")
            .annotate(value=Sum("subtotal_base"), orders=Count("order", distinct=True),
                      sellers=Count("seller", distinct=True))
            .order_by())
    cells = [ExportCell(month=row["month"].date() if isinstance(row["month"], datetime) else row["month"],
                        country=row["order__ship_country"], value=row["value"] or Decimal(0), orders=row["orders"],
                        sellers=row["sellers"]) for row in rows]
    return sorted(cells, key=lambda cell: (-cell.month.toordinal(), -cell.value, cell.country))


def exports_by_month(*, months: list[date]) -> list[ExportFigures]:
    """One entry per month asked, zero where nothing was exported."""
    if not months:
        return []
    end = month_start(months[-1] + timedelta(days=31))
    rows = (exported_parts(months[0], end).annotate(month=TruncMonth("order__paid_at")).values("month")
            .annotate(value=Sum("subtotal_base"), orders=Count("order", distinct=True),
                      sellers=Count("seller", distinct=True))
            .order_by())
    found = {}
    for row in rows:
        month = row["month"].date() if isinstance(row["month"], datetime) else row["month"]
        found[month] = row
    return [ExportFigures(key=f"{month:%Y-%m}", value=(found.get(month) or {}).get("value") or Decimal(0),
                          orders=(found.get(month) or {}).get("orders", 0),
                          sellers=(found.get(month) or {}).get("sellers", 0)) for month in months]


# --- fulfilment -------------------------------------------------------------------------------------


@dataclass
class FulfilmentFigures:
    by_status: dict[str, int] = field(default_factory=dict)
    total: int = 0
    median_hours_to_accept: float | None = None
    median_hours_to_ship: float | None = None  # from receipt to shipment
    declined_share: float | None = None  # of the parts answered (accepted or declined)


def fulfilment_figures(*, start: date, end: date) -> FulfilmentFigures:
    """Seller order parts received in the period: by status, the median time to accept and to ship,
    and the share declined among those answered. Two queries."""
    parts = SellerOrder.objects.filter(created_at__date__gte=start, created_at__date__lt=end)
    figures = FulfilmentFigures(by_status=dict.fromkeys(SellerOrder.Status.values, 0))
    for row in parts.values("status").annotate(count=Count("pk")).order_by():
        figures.by_status[row["status"]] = row["count"]
    figures.total = sum(figures.by_status.values())
    to_accept, to_ship = [], []
    for created, accepted, shipped in parts.values_list("created_at", "accepted_at", "shipped_at"):
        if accepted:
            to_accept.append((accepted - created).total_seconds() / 3600)
        if shipped:
            to_ship.append((shipped - created).total_seconds() / 3600)
    figures.median_hours_to_accept = statistics.median(to_accept) if to_accept else None
    figures.median_hours_to_ship = statistics.median(to_ship) if to_ship else None
    declined = figures.by_status[SellerOrder.Status.DECLINED]
    answered = figures.total - figures.by_status[SellerOrder.Status.AWAITING_ACCEPTANCE]
    figures.declined_share = declined / answered if answered else None
    return figures


# --- requests for quote -----------------------------------------------------------------------------

QUOTE_DIMENSIONS = ("region", "craft")


@dataclass(frozen=True)
class QuoteFigures:
    """Requests for quote received by the sellers of a group (one per seller asked: a thread) and how
    they were answered. The group is the seller's region, or the craft asked for (the request's craft,
    else the seller's first trade)."""

    key: str  # the region's or trade's pk, "" for a request with no craft by a seller with no trade
    label: str
    received: int  # threads
    requests: int
    sellers: int
    answered: int  # threads quoted at least once (the same as "quoted")
    median_response_hours: float | None  # from the request to the first quote, threads answered
    due: int  # threads answered, or past the response target unanswered
    answered_in_time: int  # answered by the target (QUOTE_RESPONSE_WORKING_DAYS working days)
    converted: int  # threads with an accepted bulk quote whose order was paid

    @property
    def within_target_share(self) -> float | None:
        """Answered by the target, of the threads answered or past their target (one still within its
        target and unanswered is not counted either way)."""
        return self.answered_in_time / self.due if self.due else None

    @property
    def conversion_share(self) -> float | None:
        """Threads that became a paid bulk order, of the threads quoted."""
        return self.converted / self.answered if self.answered else None


@dataclass(frozen=True)
class _QuotedThread:
    region: str
    craft: str
    request: int
    seller: int
    asked: datetime
    first_quoted: datetime | None
    converted: bool


def _quoted_threads(start: date, end: date) -> list[_QuotedThread]:
    """The threads of the requests made from ``start`` to before ``end``, with what the figures need.
    Two queries."""
    converted = Quote.objects.filter(thread=OuterRef("pk"), kind=Quote.Kind.BULK, status=Quote.Status.ACCEPTED,
                                     order__paid_at__isnull=False)
    rows = list(
        QuoteThread.objects.filter(request__created_at__date__gte=start, request__created_at__date__lt=end)
        .annotate(converted=Exists(converted))
        .values_list("seller_id", "seller__region_id", "request__craft_id", "request_id", "request__created_at",
                     "first_quoted_at", "converted")
        .order_by("pk")
    )
    first_trade = {}
    # Trades are ordered by code, so the first of a seller's is its main line in the nomenclature.
    for seller_id, trade_id in (Seller.trades.through.objects.filter(seller_id__in={row[0] for row in rows})
                                .order_by("seller_id", "trade__code").values_list("seller_id", "trade_id")):
        first_trade.setdefault(seller_id, trade_id)
    return [
        _QuotedThread(region=str(region), craft=str(craft or first_trade.get(seller) or ""), request=request,
                      seller=seller, asked=asked, first_quoted=first_quoted, converted=converted)
        for seller, region, craft, request, asked, first_quoted, converted in rows
    ]


def _quote_cell(key: str, label: str, threads: list[_QuotedThread], now: datetime) -> QuoteFigures:
    # The target as the quotes app computes it (and stored in each thread's respond_by).
    days = settings.QUOTE_RESPONSE_WORKING_DAYS
    hours, due, in_time = [], 0, 0
    for thread in threads:
        target = working_days_after(thread.asked, days)
        if thread.first_quoted:
            hours.append((thread.first_quoted - thread.asked).total_seconds() / 3600)
            due += 1
            in_time += thread.first_quoted <= target
        elif target <= now:
            due += 1
    return QuoteFigures(
        key=key, label=label, received=len(threads), requests=len({thread.request for thread in threads}),
        sellers=len({thread.seller for thread in threads}), answered=len(hours),
        median_response_hours=statistics.median(hours) if hours else None, due=due, answered_in_time=in_time,
        converted=sum(1 for thread in threads if thread.first_quoted and thread.converted),
    )


def quote_figures(*, by: str, start: date, end: date, now: datetime | None = None) -> list[QuoteFigures]:
    """Requests for quote received per seller's region or per craft, in the period (by the request's
    date): how many, the median time to the first quote, the share answered by the chamber's target
    and the share quoted that became a paid bulk order. Most received first. Three queries.

    Raises ValueError for another ``by``."""
    if by not in QUOTE_DIMENSIONS:
        raise ValueError(f"by must be one of {QUOTE_DIMENSIONS}")
    now = now or timezone.now()
    groups: dict[str, list[_QuotedThread]] = {}
    for thread in _quoted_threads(start, end):
        groups.setdefault(getattr(thread, by), []).append(thread)
    labels = _labels("region" if by == "region" else "trade", [int(key) for key in groups if key])
    figures = [_quote_cell(key, labels.get(int(key), key) if key else "", threads, now)
               for key, threads in groups.items()]
    return sorted(figures, key=lambda figure: (-figure.received, figure.label))


def quote_figures_merged(*, by: str, keys, start: date, end: date, now: datetime | None = None) -> QuoteFigures:
    """The figures of several groups of ``quote_figures`` taken together (``keys``: their keys), counted
    exactly: a seller or a request in two of them counts once. Two queries."""
    if by not in QUOTE_DIMENSIONS:
        raise ValueError(f"by must be one of {QUOTE_DIMENSIONS}")
    keys = {str(key) for key in keys}
    threads = [thread for thread in _quoted_threads(start, end) if getattr(thread, by) in keys]
    return _quote_cell("", "", threads, now or timezone.now())
