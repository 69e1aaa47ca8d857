from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketplaceConfig(AppConfig):
    """Commerce's shared templates, and the history of its migrations from before commerce was split
    into its own apps (basket, checkout, orders, payouts, payments, shipping): it owns no models."""

    name = "marketplace"
    verbose_name = _("Marketplace")
