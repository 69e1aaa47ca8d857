from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from config.public_urls import public_base
from marketplace.orders.selectors import order_staff_emails, order_url

from .admin_urls import return_admin_url
from .models import ReturnRequest
from .services import returns_escalate


@shared_task(ignore_result=True)
def return_email_send(return_id: int, audience: str, step: str, base_url: str = "") -> None:
    """Tell the buyer (in the order's language) or the seller (in the seller's) of a return's step."""
    return_request = ReturnRequest.objects.select_related("seller_order__order", "seller_order__seller").get(pk=return_id)
    order, seller = return_request.seller_order.order, return_request.seller_order.seller
    with public_base(base_url):
        link = order_url(order, absolute=True) if audience == "buyer" else return_admin_url(return_request, absolute=True)
    context = {"return": return_request, "order": order, "seller": seller, "step": step, "link": link,
               "lines": return_request.lines.select_related("order_line")}
    language = order.language if audience == "buyer" else seller.language
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string("returns/emails/return_subject.txt", context).strip()
        body = render_to_string(f"returns/emails/return_{audience}_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [order.email if audience == "buyer" else seller.email])


@shared_task(ignore_result=True)
def return_escalation_send(return_id: int, base_url: str = "") -> None:
    """Tell the chamber that a seller let a return request's answer deadline pass."""
    return_request = ReturnRequest.objects.select_related("seller_order__order", "seller_order__seller").get(pk=return_id)
    with public_base(base_url):
        link = return_admin_url(return_request, absolute=True)
    context = {"return": return_request, "order": return_request.seller_order.order,
               "seller": return_request.seller_order.seller, "step": "escalate", "link": link,
               "lines": return_request.lines.select_related("order_line")}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("returns/emails/return_subject.txt", context).strip()
        body = render_to_string("returns/emails/return_seller_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, order_staff_emails())


@shared_task(ignore_result=True)
def returns_escalate_task() -> int:
    """Beat: tell the chamber about return requests their sellers left unanswered."""
    return returns_escalate()
