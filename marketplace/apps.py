from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketplaceConfig(AppConfig):
    name = "marketplace"
    verbose_name = _("Marketplace")

    def ready(self):
        from django.db.models.signals import post_migrate

        from .basket import signals  # noqa: F401

        post_migrate.connect(_order_groups_ensure, sender=self)


def _order_groups_ensure(sender, **kwargs):
    from django.contrib.auth.management import create_permissions

    from .orders.admin import order_groups_ensure

    create_permissions(sender, verbosity=0, using=kwargs.get("using", "default"))
    order_groups_ensure()
