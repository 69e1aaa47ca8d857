from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PayoutsConfig(AppConfig):
    name = "marketplace.payouts"
    label = "payouts"
    verbose_name = _("Payouts")

    def ready(self):
        # Inside ready(): the receivers import models, which exist only once the app registry is ready.
        from . import receivers  # noqa: F401  (connects payouts to delivered and refunded seller orders)
