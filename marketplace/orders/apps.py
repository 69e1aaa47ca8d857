from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "marketplace.orders"
    label = "orders"
    verbose_name = _("Orders")

    def ready(self):
        from django.db.models.signals import post_migrate

        post_migrate.connect(_order_groups_ensure, sender=self)


def _order_groups_ensure(sender, using="default", **kwargs):
    # inside the function: the admin module needs the app registry, which is ready only now
    from .admin import order_groups_ensure

    order_groups_ensure(using=using)
