"""Reading payouts: those of a period, and their totals per seller."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from .models import SellerPayout

TOTALLED = ("products", "commission", "shipping", "amount")


@dataclass
class SellerPayoutTotals:
    seller_id: int
    seller_name: str
    currency: str
    count: int = 0
    products: Decimal = Decimal(0)
    commission: Decimal = Decimal(0)
    shipping: Decimal = Decimal(0)
    amount: Decimal = Decimal(0)


def payouts_for_period(*, start: date, end: date, seller=None, status: str | None = None) -> QuerySet[SellerPayout]:
    """Payouts of seller orders delivered from ``start`` (included) to ``end`` (excluded), days in the
    current time zone, oldest delivery first, with their seller and seller order loaded."""
    payouts = SellerPayout.objects.filter(delivered_at__gte=_day_start(start), delivered_at__lt=_day_start(end))
    if seller is not None:
        payouts = payouts.filter(seller=seller)
    if status:
        payouts = payouts.filter(status=status)
    return payouts.select_related("seller", "seller_order").order_by("delivered_at", "pk")


def payout_totals_by_seller(payouts: Iterable[SellerPayout]) -> list[SellerPayoutTotals]:
    """Count and sums of the payouts per seller (and currency, should the base currency ever change),
    by seller name. A queryset is summed from its values in one query, in Decimal (not by the database,
    which in SQLite adds decimals as floats)."""
    if isinstance(payouts, QuerySet):
        rows = payouts.order_by().values_list("seller_id", "seller__legal_name", "currency", *TOTALLED)
    else:
        rows = ((payout.seller_id, payout.seller.legal_name, payout.currency,
                 *(getattr(payout, name) for name in TOTALLED)) for payout in payouts)
    totals: dict[tuple[int, str], SellerPayoutTotals] = {}
    for seller_id, seller_name, currency, *amounts in rows:
        line = totals.setdefault((seller_id, currency), SellerPayoutTotals(seller_id, seller_name, currency))
        line.count += 1
        for name, value in zip(TOTALLED, amounts, strict=True):
            setattr(line, name, getattr(line, name) + value)
    return sorted(totals.values(), key=lambda line: (line.seller_name.casefold(), line.seller_id, line.currency))


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))
