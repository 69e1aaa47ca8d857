from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BasketConfig(AppConfig):
    name = "marketplace.basket"
    label = "basket"
    verbose_name = _("Baskets")

    def ready(self):
        from catalog.pricing import trade_buyer_source_register
        from marketplace.trade.selectors import trade_buyer_of

        from . import signals  # noqa: F401  (connects the basket merge at login)

        trade_buyer_source_register(trade_buyer_of)
