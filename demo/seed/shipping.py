"""The demo's shipping zones and their rates."""

from decimal import Decimal

from customs.services import duty_rates_refresh, sample_rules_load
from demo.data import (
    SHIPPING_ZONES,
)
from marketplace.shipping.models import ShippingRate, ShippingZone


def _ensure_customs_rules():
    """The sample destination rules (EU, UK, US, Canada) and duty rates, ticked as samples."""
    sample_rules_load()
    duty_rates_refresh()


def _ensure_shipping_zones():
    for name, countries, transit_days, bands in SHIPPING_ZONES:
        if ShippingZone.objects.filter(name=name).exists():
            continue
        zone = ShippingZone(name=name, countries=countries, transit_days=transit_days)
        zone.full_clean()
        zone.rates = [ShippingRate(max_weight_grams=grams, price=Decimal(price), sort_order=position)
                      for position, (grams, price) in enumerate(bands)]
        zone.save()
