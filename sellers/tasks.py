from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
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
        context["application_url"] = f"{settings.WAGTAILADMIN_BASE_URL}{reverse('seller_application')}"
        subject = render_to_string(SUBJECTS[event], context).strip()
        body = render_to_string("sellers/emails/decision_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [seller.email])


@shared_task(ignore_result=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def seller_member_invitation_send(member_id: int) -> None:
    """Invite a new member: a link to choose a password (new account) or to log in (existing one)."""
    from django.contrib.auth.tokens import default_token_generator
    from django.urls import reverse
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from .models import SellerMember

    member = SellerMember.objects.select_related("seller", "user").get(pk=member_id)
    user = member.user
    if user.has_usable_password():
        link = f"{settings.WAGTAILADMIN_BASE_URL}{reverse('wagtailadmin_login')}"
    else:
        path = reverse(
            "wagtailadmin_password_reset_confirm",
            kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)},
        )
        link = f"{settings.WAGTAILADMIN_BASE_URL}{path}"
    context = {"member": member, "seller": member.seller, "link": link}
    with translation.override(member.seller.language or settings.LANGUAGE_CODE):
        subject = render_to_string("sellers/emails/invitation_subject.txt", context).strip()
        body = render_to_string("sellers/emails/invitation_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


@shared_task(ignore_result=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def seller_registration_account_exists_send(email: str, language: str) -> None:
    """Tell an account's owner that someone registered a seller with its address (the form does not say)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {
            "login_url": f"{settings.WAGTAILADMIN_BASE_URL}{reverse('seller_application')}",
            "password_reset_url": f"{settings.WAGTAILADMIN_BASE_URL}{reverse('wagtailadmin_password_reset')}",
            "contact_email": settings.CHAMBER_CONTACT_EMAIL,
        }
        subject = render_to_string("sellers/emails/account_exists_subject.txt", context).strip()
        body = render_to_string("sellers/emails/account_exists_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])
