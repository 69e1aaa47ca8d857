from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from config.public_urls import public_base, public_url

from .held_uploads import held_uploads_purge
from .models import Seller, SellerInvitation, SellerMember
from .roles import CHAMBER_STAFF_GROUP
from .selectors import seller_invitation_token

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
    seller = Seller.objects.select_related("region").get(pk=seller_id)
    with public_base(base_url):
        context = {"seller": seller, "event": event, "contact_email": settings.CHAMBER_CONTACT_EMAIL,
                   "admin_url": public_url(reverse("wagtailadmin_home")),
                   "login_url": public_url(reverse("wagtailadmin_login")),
                   "login_email": _applicant_login_email(seller)}
        with translation.override(seller.language or settings.LANGUAGE_CODE):
            context["application_url"] = public_url(reverse("seller_application"))
    with translation.override(seller.language or settings.LANGUAGE_CODE):
        subject = render_to_string(SUBJECTS[event], context).strip()
        body = render_to_string("sellers/emails/decision_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [seller.email])


def _applicant_login_email(seller) -> str:
    """The address the applicant signs in with: its account's (the manager who registered), else the seller's."""
    member = SellerMember.objects.filter(seller=seller, role=SellerMember.Role.MANAGER).select_related("user").order_by(
        "joined_at", "pk"
    ).first()
    return member.user.email if member and member.user.email else seller.email


@shared_task(ignore_result=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def seller_application_staff_notify(seller_id: int, base_url: str = "") -> None:
    """Tell chamber staff that an application awaits their decision, with a link to it in the admin."""
    seller = Seller.objects.select_related("region").get(pk=seller_id)
    staff = get_user_model().objects.filter(groups__name=CHAMBER_STAFF_GROUP, is_active=True).exclude(email="")
    with public_base(base_url):
        context = {
            "seller": seller,
            "link": public_url(reverse("wagtailsnippets_sellers_seller:edit", args=[seller.pk])),
            "list_link": f"{public_url(reverse('wagtailsnippets_sellers_seller:list'))}?status={seller.status}",
        }
    for user in staff.distinct():
        # Staff read the admin in their own language (Wagtail's profile setting), else the site's.
        language = getattr(getattr(user, "wagtail_userprofile", None), "preferred_language", "") or settings.LANGUAGE_CODE
        with translation.override(language):
            subject = render_to_string("sellers/emails/staff_new_application_subject.txt", context).strip()
            body = render_to_string("sellers/emails/staff_new_application_body.txt", context)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


@shared_task(ignore_result=True)
def held_uploads_purge_task() -> int:
    """Delete the registration documents held for applicants past their time (hourly, Celery beat)."""
    return held_uploads_purge()


@shared_task(ignore_result=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def seller_invitation_send(invitation_id: int, base_url: str = "") -> None:
    """Send an invitation: a signed link, valid until the invitation expires, to accept or decline it."""
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
