from .basket.models import BasketLine  # noqa: F401
from .currency.models import ExchangeRate  # noqa: F401  (models of this app)
from .orders.models import Order, OrderLine, OrderShippingPart  # noqa: F401
from .payments.models import Payment, PaymentEvent  # noqa: F401
from .shipping.models import ShippingRate, ShippingZone  # noqa: F401
