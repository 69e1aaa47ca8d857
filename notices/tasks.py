from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from config.public_urls import public_base

from .models import Notice, NoticeSettings


@shared_task(ignore_result=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notice_outcome_send(notice_id: int, base_url: str = "") -> None:
    """Tell the reporter what the chamber decided, in the language of the report."""
    notice = Notice.objects.select_related("product", "product__seller").get(pk=notice_id)
    if not notice.reporter_email:
        return
    context = {"notice": notice, "contact": NoticeSettings.load()}
    with public_base(base_url), translation.override(notice.language or settings.LANGUAGE_CODE):
        subject = render_to_string("notices/emails/outcome_subject.txt", context).strip()
        body = render_to_string("notices/emails/outcome_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [notice.reporter_email])
