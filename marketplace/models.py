from .basket.models import BasketLine  # noqa: F401
from .currency.models import ExchangeRate  # noqa: F401  (models of this app)
from .orders.models import (  # noqa: F401
    Order,
    OrderLine,
    OrderShippingPart,
    SellerOrder,
    SellerOrderDocument,
    SellerPayout,
    SellerPayoutAccount,
)
from .payments.models import BankAccount, BankTransferReceipt, BankTransferSettings, Payment, PaymentEvent  # noqa: F401
from .shipping.models import CountrySettings, ShippingRate, ShippingZone  # noqa: F401
