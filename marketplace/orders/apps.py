from django.apps import AppConfig
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


def _order_groups_ensure(sender, using="default", **kwargs):
    # inside the function: the admin module needs the app registry, which is ready only now
    from .admin import order_groups_ensure

    order_groups_ensure(using=using)
