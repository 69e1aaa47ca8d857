from .currency.models import ExchangeRate  # noqa: F401  (models of this app)
from .shipping.models import ShippingRate, ShippingZone  # noqa: F401
