from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class TradeConfig(AppConfig):
    name = "marketplace.trade"
    label = "trade"
    verbose_name = _("Trade accounts")

    def ready(self):
        post_migrate.connect(_trade_groups_ensure, sender=self)


def _trade_groups_ensure(sender, using="default", **kwargs):
    from .selectors import trade_groups_ensure  # models are ready only once migrate runs


    trade_groups_ensure(using=using)
