from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

SUBJECTS = {
    "registered": "sellers/emails/registered_subject.txt",
    "verify": "sellers/emails/verified_subject.txt",
    "reject": "sellers/emails/rejected_subject.txt",
    "suspend": "sellers/emails/suspended_subject.txt",
    "reinstate": "sellers/emails/reinstated_subject.txt",
}


@shared_task(ignore_result=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def seller_email_send(seller_id: int, event: str) -> None:
    """Tell the seller's contact address about its registration or a decision on it."""
    from .models import Seller

    seller = Seller.objects.select_related("region").get(pk=seller_id)
    context = {"seller": seller, "event": event, "contact_email": settings.CHAMBER_CONTACT_EMAIL,
               "admin_url": f"{settings.WAGTAILADMIN_BASE_URL}/admin/"}
    with translation.override(seller.language or settings.LANGUAGE_CODE):
        subject = render_to_string(SUBJECTS[event], context).strip()
        body = render_to_string("sellers/emails/decision_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [seller.email])
