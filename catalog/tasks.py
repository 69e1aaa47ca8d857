from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from wagtail.models import Page

from config.public_urls import public_base

from .label_selectors import application_rejection_reason, certificate_verify_url
from .label_services import label_certificates_expire, label_certificates_expiring
from .selectors import DETAIL_IMAGE_SPECS, LISTING_IMAGE_SPECS
from .services import page_translations_ensure as page_translations_ensure_now
from .services import pending_listing_photos_expire


@shared_task(ignore_result=True)
def product_page_renditions_warm(page_id: int) -> int:
    """Make the listing and detail renditions of a product's images, so no visitor waits for them.

    Returns how many renditions exist for the page's images afterwards.
    """
    from .models import ProductPageImage

    count = 0
    for gallery_image in ProductPageImage.objects.filter(page_id=page_id).select_related("image"):
        count += len(gallery_image.image.get_renditions(*LISTING_IMAGE_SPECS, *DETAIL_IMAGE_SPECS))
    return count


@shared_task(ignore_result=True)
def label_certificates_daily() -> dict:
    """Daily (beat): expire certificates past their validity; tell sellers 30 days before expiry."""

    expired = label_certificates_expire()
    reminded = 0
    for certificate in label_certificates_expiring():
        context = {"certificate": certificate, "seller": certificate.seller}
        with translation.override(certificate.seller.language or settings.LANGUAGE_CODE):
            subject = render_to_string("catalog/emails/certificate_expiring_subject.txt", context).strip()
            body = render_to_string("catalog/emails/certificate_expiring_body.txt", context)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [certificate.seller.email])
        reminded += 1
    return {"expired": expired, "reminded": reminded}


@shared_task(ignore_result=True)
def label_decision_email_send(application_id: int, base_url: str = "") -> None:
    """Tell the applying seller the inspector's decision, in the seller's language."""
    from .label_models import LabelApplication, LabelCertificate

    application = LabelApplication.objects.select_related("seller", "scheme").get(pk=application_id)
    certificate = LabelCertificate.objects.filter(application=application).first()
    with public_base(base_url):
        verify_url = certificate_verify_url(certificate.number) if certificate else ""
    context = {
        "application": application, "certificate": certificate, "verify_url": verify_url,
        "reason": application_rejection_reason(application),
    }
    with translation.override(application.seller.language or settings.LANGUAGE_CODE):
        subject = render_to_string("catalog/emails/label_decision_subject.txt", context).strip()
        body = render_to_string("catalog/emails/label_decision_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [application.seller.email])


@shared_task(ignore_result=True)
def page_translations_ensure(page_id: int) -> int:
    """The other languages of a page created in one (aliases of it); returns how many were created."""
    page = Page.objects.filter(pk=page_id).first()
    return len(page_translations_ensure_now(page=page)) if page is not None else 0


@shared_task(ignore_result=True)
def pending_listing_photos_expire_task() -> int:
    """Daily (beat): delete the photos kept from listing forms nobody finished."""
    return pending_listing_photos_expire()
