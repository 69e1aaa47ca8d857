from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from .models import Order
from .selectors import order_url


@shared_task(ignore_result=True)
def order_email_send(order_id: int, kind: str) -> None:
    """Tell the buyer an order was placed (with how to pay), paid, or cancelled, in the order's language."""
    from marketplace.payments.interface import payment_provider

    order = Order.objects.prefetch_related("lines", "shipping_parts__seller").get(pk=order_id)
    provider = payment_provider(order.payment_provider)
    context = {"order": order, "order_url": order_url(order, absolute=True), "provider": provider,
               "instructions": provider.instructions(order) if provider.offline else None}
    with translation.override(order.language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"marketplace/emails/order_{kind}_subject.txt", context).strip()
        body = render_to_string(f"marketplace/emails/order_{kind}_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [order.email])


@shared_task(ignore_result=True)
def orders_release_unpaid_task() -> int:
    """Beat: cancel the orders not paid in time, give their stock back, close their payment pages."""
    from marketplace.payments.services import unpaid_orders_release  # payments build on these orders

    return len(unpaid_orders_release())


@shared_task(ignore_result=True)
def seller_order_email_send(seller_order_id: int, kind: str) -> None:
    """Tell a seller about its part of an order (received, reminder), in the seller's language."""
    from django.urls import reverse

    from .models import SellerOrder

    seller_order = SellerOrder.objects.select_related("order", "seller").get(pk=seller_order_id)
    seller = seller_order.seller
    context = {"seller_order": seller_order, "order": seller_order.order, "seller": seller,
               "lines": seller_order.lines.all(),
               "admin_url": f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{reverse('wagtailadmin_home')}"}
    with translation.override(seller.language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"marketplace/emails/seller_order_{kind}_subject.txt", context).strip()
        body = render_to_string(f"marketplace/emails/seller_order_{kind}_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [seller.email])
