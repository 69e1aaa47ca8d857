"""Shipping quotes: each seller ships its own part of a basket, so a quote is the sum of the parts."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.pricing import made_to_order_weeks

from .models import ShippingZone


@dataclass(frozen=True)
class QuoteLine:
    product: object  # catalog.Product
    quantity: int


@dataclass(frozen=True)
class ShippingPart:
    seller: object
    weight_grams: int
    parcels: int
    price: Decimal  # base currency
    dispatch_by: date  # the latest made-to-order line's estimate, else the next day


@dataclass(frozen=True)
class ShippingQuote:
    country: str
    zone: ShippingZone
    parts: tuple[ShippingPart, ...]

    @property
    def total(self) -> Decimal:
        return sum((part.price for part in self.parts), Decimal("0"))

    @property
    def delivery_by(self) -> date:
        return max(part.dispatch_by for part in self.parts) + timedelta(days=self.zone.transit_days)


def shipping_zone_for(country: str) -> ShippingZone | None:
    country = (country or "").upper()
    for zone in ShippingZone.objects.prefetch_related("rates"):
        if country in zone.country_list:
            return zone
    return None


def _parcel_prices(zone: ShippingZone, weight: int) -> tuple[int, Decimal]:
    """(parcels, price) for a seller's part: the band that holds it, or as many of the heaviest band
    as needed and the band of what remains."""
    bands = sorted(zone.rates.all(), key=lambda rate: rate.max_weight_grams)
    heaviest = bands[-1]
    parcels, price = 0, Decimal("0")
    while weight > heaviest.max_weight_grams:
        parcels, price, weight = parcels + 1, price + heaviest.price, weight - heaviest.max_weight_grams
    band = next(rate for rate in bands if rate.max_weight_grams >= weight)
    return parcels + 1, price + band.price


def shipping_zones() -> list[ShippingZone]:
    """Every zone with its rates (two queries), to price many parcels at once: the shopping feeds."""
    return list(ShippingZone.objects.prefetch_related("rates"))


def parcel_price(zone: ShippingZone, weight_grams: int) -> Decimal | None:
    """What one seller's parcel of ``weight_grams`` costs to the zone, in the base currency; None for a
    zone without rates. Priced as a basket's part is (``shipping_quote``)."""
    if not zone.rates.all():
        return None
    return _parcel_prices(zone, weight_grams)[1]


def dispatch_days(*, made_to_order: bool, lead_time_days: int | None, quantity: int,
                  capacity_per_week: int | None) -> int:
    """Days until one product ordered alone can leave: as ``shipping_quote`` counts a seller's part."""
    if not made_to_order:
        return 1
    return (lead_time_days or 0) + 7 * made_to_order_weeks(quantity, capacity_per_week=capacity_per_week)


def _lead_days(seller, seller_lines) -> int:
    """Days until a seller's part can leave: the next day from stock; for made-to-order lines, the longest
    lead time plus a week for each (started) week's worth of the seller's capacity the quantity takes."""
    made = [line for line in seller_lines if line.product.made_to_order]
    if not made:
        return 1
    weeks = made_to_order_weeks(sum(line.quantity for line in made),
                                capacity_per_week=seller.made_to_order_capacity)
    return max((line.product.lead_time_days or 0) for line in made) + 7 * weeks


def shipping_quote(lines, country: str, *, today: date | None = None) -> ShippingQuote:
    """The shipping of a basket to a country, one part per seller.

    Raises ValidationError (code ``not_served``) when no zone serves the country, or for an empty basket.
    """
    lines = [line for line in lines if line.quantity > 0]
    if not lines:
        raise ValidationError(_("The basket is empty."), code="empty")
    zone = shipping_zone_for(country)
    if zone is None or not zone.rates.all():
        raise ValidationError(
            _("Our sellers do not ship to %(country)s yet. Choose another address, or write to us.")
            % {"country": (country or "?").upper()},
            code="not_served",
        )
    today = today or timezone.localdate()
    by_seller = defaultdict(list)
    for line in lines:
        by_seller[line.product.seller].append(line)
    parts = []
    for seller, seller_lines in sorted(by_seller.items(), key=lambda item: item[0].pk):
        weight = sum(line.product.weight_grams * line.quantity for line in seller_lines)
        parcels, price = _parcel_prices(zone, weight)
        lead = _lead_days(seller, seller_lines)
        parts.append(ShippingPart(seller=seller, weight_grams=weight, parcels=parcels, price=price,
                                  dispatch_by=today + timedelta(days=lead)))
    return ShippingQuote(country=country.upper(), zone=zone, parts=tuple(parts))
