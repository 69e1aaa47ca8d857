"""The facets a listing search counts: their values (all known in advance, from the reference
tables) and their names in the buyer's language, and price ranges in the buyer's currency."""

import math
import re
from decimal import Decimal

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from catalog.cache import cached
from catalog.models import Material
from currency.selectors import base_currency, exchange_rate, money_round
from labels.models import LabelScheme
from sellers.models import Region, Seller, Trade, localized_name

from .backends.base import PriceRange
from .models import ListingDocument

FACETS = ("category", "craft", "region", "material", "label", "seller_kind", "price", "availability")
FACET_TITLES = {
    "category": _("Category"),
    "craft": _("Craft"),
    "region": _("Region"),
    "material": _("Material"),
    "label": _("Quality label"),
    "seller_kind": _("Seller"),
    "price": _("Price"),
    "availability": _("Availability"),
}
# Facets read from one column of the listing document, and those of several values per product.
SINGLE_FIELDS = {"category": "category", "craft": "craft", "region": "region", "seller_kind": "seller_kind",
                 "availability": "availability"}
MULTI_FIELDS = {"material": "materials", "label": "labels"}
AVAILABILITY_NAMES = {
    ListingDocument.Availability.IN_STOCK: _("In stock"),
    ListingDocument.Availability.MADE_TO_ORDER: _("Made to order"),
    ListingDocument.Availability.SOLD_OUT: _("Sold out"),
}
# Price bands in euros; other currencies get the nearest round numbers.
EURO_PRICE_BOUNDS = (25, 50, 100, 250, 500, 1000)
PRICE_KEY = re.compile(r"^(\d{1,9})-(\d{1,9})?$")


def facet_values() -> dict[str, list[str]]:
    """Every value each facet can take (price aside), from the reference tables; cached."""

    def compute():
        trades = _trades()
        return {
            "category": list(dict.fromkeys(trades.filter(level=Trade.Level.BRANCH).values_list("code", flat=True))),
            "craft": list(dict.fromkeys(trades.filter(level=Trade.Level.ACTIVITY).values_list("code", flat=True))),
            "region": list(Region.objects.values_list("code", flat=True)),
            "material": list(Material.objects.values_list("slug", flat=True)),
            "label": list(LabelScheme.objects.values_list("code", flat=True)),
            "seller_kind": list(Seller.Kind.values),
            "availability": list(ListingDocument.Availability.values),
        }

    return cached("search:facet-values", compute)


def facet_names() -> dict[str, dict[str, str]]:
    """The name of every facet value in the active language; cached per language."""
    return cached(f"search:facet-names:{get_language()}", _facet_names_compute)


def _trades():
    """Trades of the countries whose sellers list here: codes repeat across countries' nomenclatures."""
    countries = list(Seller.objects.values_list("country", flat=True).distinct())
    trades = Trade.objects.filter(country__in=countries) if countries else Trade.objects.all()
    return trades.order_by("country", "code")


def _facet_names_compute() -> dict[str, dict[str, str]]:
    trades = {code: localized_name(*names) for code, *names in _trades().values_list("code", "name", "name_fr", "name_ar")}
    return {
        "category": trades, "craft": trades,
        "region": {code: localized_name(*names) for code, *names in Region.objects.values_list("code", "name", "name_fr", "name_ar")},
        "material": {slug: localized_name(*names) for slug, *names in Material.objects.values_list("slug", "name", "name_fr", "name_ar")},
        "label": {code: localized_name(*names) for code, *names in LabelScheme.objects.values_list("code", "name", "name_fr", "name_ar")},
        "seller_kind": {value: str(label) for value, label in Seller.Kind.choices},
        "availability": {value: str(label) for value, label in AVAILABILITY_NAMES.items()},
    }


def _round_number(value: Decimal) -> int:
    """The nearest of 1, 2, 2.5 and 5 times a power of ten."""
    if value < 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    return int(min((Decimal(step) * power for step in ("1", "2", "2.5", "5", "10")), key=lambda step: abs(step - value)))


def _to_base(amount: Decimal, currency: str) -> Decimal:
    return money_round(amount / exchange_rate(base_currency(), currency), base_currency())


def price_range(key: str, currency: str) -> PriceRange:
    """A range given in the buyer's currency as ``low-high`` or ``low-``; raises ValueError if malformed."""
    match = PRICE_KEY.match(key or "")
    if not match:
        raise ValueError(key)
    low, high = Decimal(match.group(1)), Decimal(match.group(2)) if match.group(2) else None
    if high is not None and high <= low:
        raise ValueError(key)
    return PriceRange(key=key, low=_to_base(low, currency), high=_to_base(high, currency) if high is not None else None)


def price_ranges(currency: str) -> tuple[PriceRange, ...]:
    """The price bands shown for a currency, as ranges in the base currency."""
    euro_rate = exchange_rate("EUR", currency)
    bounds = sorted({_round_number(Decimal(bound) * euro_rate) for bound in EURO_PRICE_BOUNDS})
    keys = [f"0-{bounds[0]}", *[f"{low}-{high}" for low, high in zip(bounds, bounds[1:], strict=False)], f"{bounds[-1]}-"]
    return tuple(price_range(key, currency) for key in keys)
