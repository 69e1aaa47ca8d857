from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from marketplace.public_urls import public_base, public_url

SUBJECTS = {
    "registered": "sellers/emails/registered_subject.txt",
    "verify": "sellers/emails/verified_subject.txt",
    "reject": "sellers/emails/rejected_subject.txt",
    "suspend": "sellers/emails/suspended_subject.txt",
    "reinstate": "sellers/emails/reinstated_subject.txt",
}


@shared_task(ignore_result=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def seller_email_send(seller_id: int, event: str, base_url: str = "") -> None:
    """Tell the seller's contact address about its registration or a decision on it."""
    from .models import Seller

    seller = Seller.objects.select_related("region").get(pk=seller_id)
    with public_base(base_url):
        context = {"seller": seller, "event": event, "contact_email": settings.CHAMBER_CONTACT_EMAIL,
                   "admin_url": public_url(reverse("wagtailadmin_home"))}
        with translation.override(seller.language or settings.LANGUAGE_CODE):
            context["application_url"] = public_url(reverse("seller_application"))
    with translation.override(seller.language or settings.LANGUAGE_CODE):
        subject = render_to_string(SUBJECTS[event], context).strip()
        body = render_to_string("sellers/emails/decision_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [seller.email])


@shared_task(ignore_result=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def seller_invitation_send(invitation_id: int, base_url: str = "") -> None:
    """Send an invitation: a signed link, valid until the invitation expires, to accept or decline it."""
    from django.urls import reverse

    from .models import SellerInvitation
    from .selectors import seller_invitation_token

    invitation = SellerInvitation.objects.select_related("seller", "invited_by").get(pk=invitation_id)
    if invitation.status != SellerInvitation.Status.PENDING:
        return
    with translation.override(invitation.seller.language or settings.LANGUAGE_CODE):
        path = reverse("seller_invitation", args=[seller_invitation_token(invitation=invitation)])
        with public_base(base_url):
            link = public_url(path)
        context = {"invitation": invitation, "seller": invitation.seller, "link": link}
        subject = render_to_string("sellers/emails/invitation_subject.txt", context).strip()
        body = render_to_string("sellers/emails/invitation_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])


@shared_task(ignore_result=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def seller_registration_account_exists_send(email: str, language: str, base_url: str = "") -> None:
    """Tell an account's owner that someone registered a seller with its address (the form does not say)."""
    with translation.override(language or settings.LANGUAGE_CODE), public_base(base_url):
        context = {
            "login_url": public_url(reverse("seller_application")),
            "password_reset_url": public_url(reverse("wagtailadmin_password_reset")),
            "contact_email": settings.CHAMBER_CONTACT_EMAIL,
        }
        subject = render_to_string("sellers/emails/account_exists_subject.txt", context).strip()
        body = render_to_string("sellers/emails/account_exists_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])
