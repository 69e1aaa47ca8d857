from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from config.public_urls import public_base
from marketplace.payments.interface import payment_provider

from .documents import has_export_documents, seller_order_documents_make
from .models import Order, SellerOrder
from .selectors import order_duties_view, order_staff_emails, order_url, seller_order_admin_url
from .services import orders_release_unpaid, orders_remind_unpaid, seller_orders_chase

# The buyer's emails about an order, each a pair of templates marketplace/emails/order_<kind>_*.txt.
ORDER_EMAIL_KINDS = ("placed", "reminder", "partial", "paid", "cancelled", "balance_due", "balance_paid")


@shared_task(ignore_result=True)
def order_email_send(order_id: int, kind: str, base_url: str = "") -> None:
    """Tell the buyer an order was placed (with how to pay), partly paid (asking for the rest), paid, or
    cancelled; for an order paid in instalments, that the balance is due (a part is packed) or was paid.
    In the order's language; links on the site's address when the work was queued. ``kind`` is one of
    ``ORDER_EMAIL_KINDS``."""
    if kind not in ORDER_EMAIL_KINDS:
        raise ValueError(f"Unknown order email kind: {kind}")
    order = Order.objects.prefetch_related("lines", "shipping_parts__seller").get(pk=order_id)
    provider = payment_provider(order.payment_provider)
    with public_base(base_url):
        context = {"order": order, "order_url": order_url(order, absolute=True), "provider": provider,
                   "instructions": provider.instructions(order) if provider.offline else None}
    with translation.override(order.language or settings.LANGUAGE_CODE):
        context["duties"] = order_duties_view(order)
        subject = render_to_string(f"marketplace/emails/order_{kind}_subject.txt", context).strip()
        body = render_to_string(f"marketplace/emails/order_{kind}_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [order.email])


@shared_task(ignore_result=True)
def orders_release_unpaid_task() -> int:
    """Beat: remind the buyers whose hold ends soon; cancel the orders not paid in time, give their
    stock back, close their payment pages. Returns how many were cancelled."""
    orders_remind_unpaid()
    return len(orders_release_unpaid())


@shared_task(ignore_result=True)
def seller_order_email_send(seller_order_id: int, kind: str, base_url: str = "") -> None:
    """Tell a seller about its part of an order (received, reminder), in the seller's language."""
    seller_order = SellerOrder.objects.select_related("order", "seller").get(pk=seller_order_id)
    seller = seller_order.seller
    with public_base(base_url):
        admin_url = seller_order_admin_url(seller_order)
    context = {"seller_order": seller_order, "order": seller_order.order, "seller": seller,
               "lines": seller_order.lines.all(), "admin_url": admin_url}
    with translation.override(seller.language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"marketplace/emails/seller_order_{kind}_subject.txt", context).strip()
        body = render_to_string(f"marketplace/emails/seller_order_{kind}_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [seller.email])


@shared_task(ignore_result=True)
def seller_order_buyer_email_send(seller_order_id: int, action: str, base_url: str = "") -> None:
    """Tell the buyer what became of one seller's part (accepted, declined and refunded, packed,
    shipped with its tracking, delivered), in the order's language."""
    seller_order = SellerOrder.objects.select_related("order", "seller").get(pk=seller_order_id)
    order = seller_order.order
    with public_base(base_url):
        link = order_url(order, absolute=True)
    context = {"seller_order": seller_order, "order": order, "action": action, "lines": seller_order.lines.all(),
               "order_url": link,
               "offline": payment_provider(order.payment_provider).offline}
    with translation.override(order.language or settings.LANGUAGE_CODE):
        subject = render_to_string("marketplace/emails/seller_order_update_subject.txt", context).strip()
        body = render_to_string("marketplace/emails/seller_order_update_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [order.email])


@shared_task(ignore_result=True)
def seller_order_escalation_send(seller_order_id: int, base_url: str = "") -> None:
    """Tell the chamber that a seller let its acceptance deadline pass."""
    seller_order = SellerOrder.objects.select_related("order", "seller").get(pk=seller_order_id)
    with public_base(base_url):
        admin_url = seller_order_admin_url(seller_order)
    context = {"seller_order": seller_order, "seller": seller_order.seller, "order": seller_order.order,
               "admin_url": admin_url}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("marketplace/emails/seller_order_escalated_subject.txt", context).strip()
        body = render_to_string("marketplace/emails/seller_order_escalated_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, order_staff_emails())


@shared_task(ignore_result=True)
def seller_orders_chase_task() -> tuple[int, int]:
    """Beat: remind sellers of parts they have not accepted, escalate those past the deadline."""
    return seller_orders_chase()


@shared_task(ignore_result=True)
def seller_order_documents_make_task(seller_order_id: int) -> None:
    """Make (or remake) a part's commercial invoice and packing list."""
    seller_order = SellerOrder.objects.get(pk=seller_order_id)
    if has_export_documents(seller_order):
        seller_order_documents_make(seller_order)
