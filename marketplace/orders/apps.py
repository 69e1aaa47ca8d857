from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "marketplace.orders"
    label = "orders"
    verbose_name = _("Orders")

    def ready(self):
        from django.db.models.signals import post_migrate

        post_migrate.connect(_order_groups_ensure, sender=self)


def _order_groups_ensure(sender, **kwargs):
    # inside the function: the admin module needs the app registry, which is ready only now
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    from .admin import ORDER_STAFF_PERMISSION_APPS, order_groups_ensure

    # The group takes permissions of the other commerce apps too, whose own post_migrate may come later.
    for label in ORDER_STAFF_PERMISSION_APPS:
        create_permissions(apps.get_app_config(label), verbosity=0, using=kwargs.get("using", "default"))
    order_groups_ensure()
