"""Orders placed through the real service, with a shipping zone to send them to."""

from decimal import Decimal

from marketplace.orders.services import OrderRequest, order_place
from marketplace.shipping.addresses import ShippingAddress
from marketplace.shipping.models import ShippingRate, ShippingZone

PARIS = ShippingAddress(name="Camille Martin", line1="12 rue des Archives", line2="", city="Paris", region="",
                        postal_code="75004", country="FR", phone="+33 1 23 45 67 89")


def europe_zone() -> ShippingZone:
    zone = ShippingZone(name="Europe", countries="FR, BE, DE, GB", transit_days=6)
    zone.full_clean()
    zone.rates = [ShippingRate(max_weight_grams=2000, price=Decimal("150")),
                  ShippingRate(max_weight_grams=5000, price=Decimal("250")),
                  ShippingRate(max_weight_grams=10000, price=Decimal("400"))]
    zone.save()
    return zone


def order_for(*product_quantities, email="buyer@example.com", currency="EUR", provider="offline", address=PARIS,
              user=None, language="en", placement_key="", now=None, incoterm="DAP"):
    """Place an order of (product, quantity) pairs."""
    return order_place(
        requests=[OrderRequest(product.pk, quantity) for product, quantity in product_quantities],
        email=email, user=user, address=address, currency=currency, provider_name=provider, language=language,
        placement_key=placement_key, now=now, incoterm=incoterm,
    )


def world_zone(countries="US, CA, JP") -> ShippingZone:
    zone = ShippingZone(name="World", countries=countries, transit_days=9)
    zone.full_clean()
    zone.rates = [ShippingRate(max_weight_grams=5000, price=Decimal("300")),
                  ShippingRate(max_weight_grams=20000, price=Decimal("700"))]
    zone.save()
    return zone
