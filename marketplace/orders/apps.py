from django.apps import AppConfig, apps
from django.contrib.auth.management import create_permissions
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from marketplace.payments.events import payment_event_receiver_register


class OrdersConfig(AppConfig):
    name = "marketplace.orders"
    label = "orders"
    verbose_name = _("Orders")

    def ready(self):
        # Imported in ready(): the receiver's module imports models, loadable only once the registry is ready.
        from .payment_events import OrderPaymentEvents

        post_migrate.connect(_order_groups_ensure, sender=self)
        # Payment events reach orders through this receiver; payments import nothing of orders.
        payment_event_receiver_register(OrderPaymentEvents())


def _order_groups_ensure(sender, **kwargs):
    # Imported here: the admin module imports models, loadable only once the app registry is ready.
    from .admin import ORDER_STAFF_PERMISSION_APPS, order_groups_ensure

    # The group takes permissions of the other commerce apps too, whose own post_migrate may come later.
    for label in ORDER_STAFF_PERMISSION_APPS:
        create_permissions(apps.get_app_config(label), verbosity=0, using=kwargs.get("using", "default"))
    order_groups_ensure()
