from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from config.public_urls import public_base, public_url
from sellers.roles import CHAMBER_STAFF_GROUP

from .models import TradeCompany, TradeInvitation
from .services import trade_invitation_token
from .services import trade_vat_check as _vat_check


@shared_task(ignore_result=True)
def trade_vat_check(company_id: int) -> None:
    company = TradeCompany.objects.filter(pk=company_id).first()
    if company is not None:
        _vat_check(company=company)


@shared_task(ignore_result=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def trade_decision_email_send(company_id: int, decision: str, base_url: str = "") -> None:
    """Tell the company's members of the chamber's decision, in the company's language."""
    company = TradeCompany.objects.get(pk=company_id)
    emails = [member.user.email for member in company.members.select_related("user") if member.user.email]
    if not emails:
        return
    with translation.override(company.language or settings.LANGUAGE_CODE):
        with public_base(base_url):
            context = {"company": company, "decision": decision, "company_url": public_url(reverse("trade_company")),
                       "contact_email": settings.CHAMBER_CONTACT_EMAIL}
        subject = render_to_string("trade/emails/decision_subject.txt", context).strip()
        body = render_to_string("trade/emails/decision_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, emails)


@shared_task(ignore_result=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def trade_staff_notify(company_id: int, base_url: str = "") -> None:
    """Tell chamber staff that a trade account application awaits their decision."""
    company = TradeCompany.objects.get(pk=company_id)
    staff = get_user_model().objects.filter(groups__name=CHAMBER_STAFF_GROUP, is_active=True).exclude(email="")
    with public_base(base_url):
        context = {"company": company, "admin_url": public_url(reverse("trade_companies:inspect", args=[company.pk]))}
    for user in staff:
        with translation.override(settings.LANGUAGE_CODE):
            subject = render_to_string("trade/emails/staff_new_application_subject.txt", context).strip()
            body = render_to_string("trade/emails/staff_new_application_body.txt", context)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


@shared_task(ignore_result=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def trade_invitation_send(invitation_id: int, base_url: str = "") -> None:
    """Send the invitation's signed link, in the company's language."""
    invitation = TradeInvitation.objects.select_related("company", "invited_by").get(pk=invitation_id)
    with translation.override(invitation.company.language or settings.LANGUAGE_CODE):
        with public_base(base_url):
            context = {"invitation": invitation, "company": invitation.company,
                       "accept_url": public_url(reverse("trade_invitation",
                                                        args=[trade_invitation_token(invitation)])),
                       "valid_days": settings.TRADE_INVITATION_VALID_DAYS}
        subject = render_to_string("trade/emails/invitation_subject.txt", context).strip()
        body = render_to_string("trade/emails/invitation_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])
