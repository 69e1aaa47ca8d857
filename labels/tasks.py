"""Quality labels' background work: the daily expiry run and the decision emails."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from config.public_urls import public_base

from .models import LabelApplication, LabelCertificate
from .selectors import application_rejection_reason, certificate_verify_url
from .services import label_certificates_expire, label_certificates_expiring


@shared_task(ignore_result=True)
def label_certificates_daily() -> dict:
    """Daily (beat): expire certificates past their validity; tell sellers 30 days before expiry."""

    expired = label_certificates_expire()
    reminded = 0
    for certificate in label_certificates_expiring():
        context = {"certificate": certificate, "seller": certificate.seller}
        with translation.override(certificate.seller.language or settings.LANGUAGE_CODE):
            subject = render_to_string("labels/emails/certificate_expiring_subject.txt", context).strip()
            body = render_to_string("labels/emails/certificate_expiring_body.txt", context)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [certificate.seller.email])
        reminded += 1
    return {"expired": expired, "reminded": reminded}


@shared_task(ignore_result=True)
def label_decision_email_send(application_id: int, base_url: str = "") -> None:
    """Tell the applying seller the inspector's decision, in the seller's language."""
    application = LabelApplication.objects.select_related("seller", "scheme").get(pk=application_id)
    certificate = LabelCertificate.objects.filter(application=application).first()
    with public_base(base_url):
        verify_url = certificate_verify_url(certificate.number) if certificate else ""
    context = {
        "application": application, "certificate": certificate, "verify_url": verify_url,
        "reason": application_rejection_reason(application),
    }
    with translation.override(application.seller.language or settings.LANGUAGE_CODE):
        subject = render_to_string("labels/emails/label_decision_subject.txt", context).strip()
        body = render_to_string("labels/emails/label_decision_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [application.seller.email])
