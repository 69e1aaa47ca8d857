"""The tax the marketplace collected at checkout, per destination country and month: the figures of an
IOSS return (VAT per member state of consumption, in euros) and of the UK VAT return, for chamber
staff. Counted in the month the order was paid, in the rule's currency at the rate the order stored."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Exists, OuterRef
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from currency.selectors import money_round
from customs.models import CollectionScheme
from marketplace.shipping.countries import country_name

from .models import OrderCharge, SellerOrder

# Parts whose money went back to the buyer in full: their tax is shown apart, to be corrected.
REFUNDED_PART_STATUSES = (SellerOrder.Status.DECLINED, SellerOrder.Status.CANCELLED)


@dataclass(frozen=True)
class TaxCollectedRow:
    month: date
    country: str
    scheme: str  # CollectionScheme value, "" for duties and taxes paid at import under DDP
    rate: Decimal
    currency: str  # the rule's currency (EUR for IOSS)
    orders: int
    tax: Decimal  # in the rule's currency
    tax_base: Decimal  # in the base currency
    refunded: Decimal  # of ``tax``: parts refunded in full

    @property
    def country_label(self) -> str:
        return f"{country_name(self.country)} ({self.country})"

    @property
    def scheme_label(self) -> str:
        return str(dict(CollectionScheme.choices).get(self.scheme) if self.scheme else _("import, paid by us (DDP)"))


def tax_collected_by_destination_and_month(*, start: date | None = None, end: date | None = None,
                                           scheme: str | None = None) -> list[TaxCollectedRow]:
    """Tax collected at checkout on paid orders, by month of payment, destination country, scheme and
    rate, newest month first. Each charge is converted to the rule's currency at its order's stored rate
    and rounded, as it was priced."""
    charges = OrderCharge.objects.filter(kind=OrderCharge.Kind.TAX, collected_now=True, order__paid_at__isnull=False)
    if start:
        charges = charges.filter(order__paid_at__date__gte=start)
    if end:
        charges = charges.filter(order__paid_at__date__lt=end)
    if scheme is not None:
        charges = charges.filter(collection_scheme=scheme)
    refunded_part = SellerOrder.objects.filter(order=OuterRef("order"), seller=OuterRef("seller"),
                                               status__in=REFUNDED_PART_STATUSES)
    figures = defaultdict(lambda: {"orders": set(), "tax": Decimal(0), "tax_base": Decimal(0), "refunded": Decimal(0)})
    for row in (charges.annotate(month=TruncMonth("order__paid_at"), refunded=Exists(refunded_part))
                .values_list("month", "country", "collection_scheme", "rate", "order__customs_currency",
                             "order_id", "amount_base", "order__customs_rate", "refunded").iterator()):
        month, country, row_scheme, rate, currency, order_id, amount_base, customs_rate, refunded = row
        month = month.date() if isinstance(month, datetime) else month
        group = figures[(month, country, row_scheme, rate, currency)]
        amount = money_round(amount_base * (customs_rate or 1), currency)
        group["orders"].add(order_id)
        group["tax"] += amount
        group["tax_base"] += amount_base
        if refunded:
            group["refunded"] += amount
    rows = [TaxCollectedRow(month=month, country=country, scheme=row_scheme, rate=rate, currency=currency,
                            orders=len(group["orders"]), tax=group["tax"], tax_base=group["tax_base"],
                            refunded=group["refunded"])
            for (month, country, row_scheme, rate, currency), group in figures.items()]
    return sorted(rows, key=lambda row: (-row.month.toordinal(), row.country, row.scheme, row.rate))
