from .basket.models import BasketLine  # noqa: F401
from .currency.models import ExchangeRate  # noqa: F401  (models of this app)
from .shipping.models import ShippingRate, ShippingZone  # noqa: F401
