"""Trade accounts: a company applies (its details and proof of activity), chamber staff decide, and its
VAT number is checked. Each function validates, writes in one transaction and queues its emails and
checks through the outbox, so nothing is sent for a write that rolled back.
"""

import re
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import EmailValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from config.public_urls import public_base_url
from outbox.services import outbox_enqueue
from sellers.documents import document_content_type
from sellers.roles import is_platform_official

from .models import TradeCompany, TradeDocument, TradeInvitation, TradeMember
from .vat import vat_checker, vat_number_normalised

MAX_DOCUMENTS = 5
EORI_FORMAT = re.compile(r"^[A-Z]{2}[A-Z0-9]{1,15}$")

Status = TradeCompany.Status
# Which decisions apply to which statuses, and the status each leads to.
TRANSITIONS = {
    "verify": {Status.PENDING},
    "reject": {Status.PENDING},
    "suspend": {Status.VERIFIED},
    "reinstate": {Status.SUSPENDED},
}
RESULT = {"verify": Status.VERIFIED, "reject": Status.REJECTED, "suspend": Status.SUSPENDED,
          "reinstate": Status.VERIFIED}
REASON_REQUIRED = {"reject", "suspend"}


def trade_company_apply(*, user, legal_name: str, country: str, register_number: str, vat_number: str = "",
                        eori_number: str = "", website: str = "", language: str = "", documents=()) -> TradeCompany:
    """A user applies for a trade account for its company and becomes its manager; the VAT number is
    checked after the commit and chamber staff are told.

    Raises ValidationError (nothing is saved) for a user who already buys for a company or works for
    the chamber, a missing detail, a malformed VAT or EORI number, or a document that is missing, too
    big or not a PDF, JPEG or PNG by its content.
    """
    if user is None or not user.is_authenticated:
        raise ValidationError(_("Sign in to apply for a trade account."), code="anonymous")
    if is_platform_official(user):
        raise ValidationError(_("Chamber staff and inspectors cannot hold a trade account."), code="official")
    if TradeMember.objects.filter(user=user).exists():
        raise ValidationError(_("You already buy for a company: one account, one company."), code="member")
    errors = {}
    country = (country or "").upper()
    try:
        vat_number = vat_number_normalised(vat_number, country)
    except ValidationError as error:
        errors["vat_number"] = error.messages
    eori_number = "".join(char for char in (eori_number or "").upper() if char.isalnum())
    if eori_number and not EORI_FORMAT.match(eori_number):
        errors["eori_number"] = [_("An EORI number is two letters of a country then up to 15 letters and digits.")]
    documents = list(documents)
    if not documents:
        errors["documents"] = [_("Add a document that shows your company trades: a register extract, a VAT "
                                 "certificate or an invoice.")]
    elif len(documents) > MAX_DOCUMENTS:
        errors["documents"] = [_("Send %(count)d documents at most.") % {"count": MAX_DOCUMENTS}]
    else:
        problems = []
        for upload in documents:
            try:
                upload.checked_content_type = document_content_type(upload)
            except ValidationError as error:
                problems += error.messages
        if problems:
            errors["documents"] = problems
    company = TradeCompany(legal_name=(legal_name or "").strip(), country=country,
                           register_number=(register_number or "").strip(), vat_number=vat_number,
                           eori_number=eori_number, website=(website or "").strip(),
                           language=language or TradeCompany._meta.get_field("language").default)
    try:
        company.full_clean()
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            company.save()
            TradeMember.objects.create(company=company, user=user, role=TradeMember.Role.MANAGER)
            for upload in documents:
                TradeDocument.objects.create(company=company, file=upload, original_name=upload.name[:255],
                                             content_type=upload.checked_content_type, size=upload.size)
            log(company, "trade.apply", user=user)
            if company.vat_number:
                outbox_enqueue("marketplace.trade.tasks.trade_vat_check", company.pk)
            outbox_enqueue("marketplace.trade.tasks.trade_staff_notify", company.pk, public_base_url())
    except IntegrityError:  # the same user's second application, posted at the same time
        raise ValidationError(_("You already buy for a company: one account, one company."), code="member") from None
    return company


def trade_company_decide(*, company: TradeCompany, decision: str, by, reason: str = "") -> TradeCompany:
    """Chamber staff's decision on a company: verify, reject, suspend or reinstate. Rejecting and
    suspending need a reason, which the company is told.

    Raises ValidationError for an unknown decision, one that does not apply to the company's status,
    or a missing reason.
    """
    if decision not in TRANSITIONS:
        raise ValidationError(_("Unknown decision."), code="decision")
    reason = (reason or "").strip()
    if decision in REASON_REQUIRED and not reason:
        raise ValidationError(_("Give the reason: the company is told it."), code="reason")
    with transaction.atomic():
        company = TradeCompany.objects.select_for_update().get(pk=company.pk)
        if company.status not in TRANSITIONS[decision]:
            raise ValidationError(_("A company whose status is “%(status)s” cannot be given this decision.")
                                  % {"status": company.get_status_display()}, code="invalid_transition")
        company.status = RESULT[decision]
        company.status_reason = reason
        if decision == "verify":
            company.verified_at = timezone.now()
        company.save(update_fields=["status", "status_reason", "verified_at"])
        log(company, f"trade.{decision}", user=by, data={"reason": reason} if reason else None)
        outbox_enqueue("marketplace.trade.tasks.trade_decision_email_send", company.pk, decision, public_base_url())
    return company


def trade_vat_check(*, company: TradeCompany) -> TradeCompany:
    """Check the company's VAT number with the configured checker and record the result (a service that
    cannot be reached records "not checked", never an error)."""
    if not company.vat_number:
        return company
    result = vat_checker().check(company.vat_number)
    with transaction.atomic():
        company = TradeCompany.objects.select_for_update().get(pk=company.pk)
        company.vat_valid = result.valid
        company.vat_checked_at = timezone.now()
        company.vat_check_source = result.source
        company.vat_registered_name = result.registered_name
        company.save(update_fields=["vat_valid", "vat_checked_at", "vat_check_source", "vat_registered_name"])
        log(company, "trade.vat_check", data={"valid": result.valid, "source": result.source,
                                              "message": result.message})
    return company


def trade_vat_recheck_request(*, company: TradeCompany, by) -> None:
    """Staff ask for the VAT number to be checked again (after the commit, through the outbox)."""
    if not company.vat_number:
        raise ValidationError(_("This company gave no VAT number."), code="no_vat_number")
    with transaction.atomic():
        log(company, "trade.vat_recheck", user=by)
        outbox_enqueue("marketplace.trade.tasks.trade_vat_check", company.pk)


# --- the company's users ----------------------------------------------------------------------------

INVITATION_SALT = "trade-invitation"


def _manager_required(company: TradeCompany, user) -> None:
    if not TradeMember.objects.filter(company=company, user=user, role=TradeMember.Role.MANAGER).exists():
        raise PermissionDenied(_("Only the company's managers manage its users."))


def trade_invitation_token(invitation: TradeInvitation) -> str:
    return signing.dumps(invitation.pk, salt=INVITATION_SALT)


def trade_invitation_from_token(token: str) -> TradeInvitation | None:
    """The invitation a link names, or None for a forged, altered or too old link."""
    try:
        pk = signing.loads(str(token)[:200], salt=INVITATION_SALT,
                           max_age=timedelta(days=settings.TRADE_INVITATION_VALID_DAYS))
    except (signing.BadSignature, ValueError):
        return None
    if not isinstance(pk, int):
        return None
    return TradeInvitation.objects.select_related("company").filter(pk=pk).first()


def trade_member_invite(*, company: TradeCompany, email: str, role: str = TradeMember.Role.BUYER, by) -> TradeInvitation:
    """A manager invites someone by email to buy for the company; the email carries a signed link.

    Raises PermissionDenied for a user who is not a manager of the company; ValidationError for a bad
    address or role, someone who already buys for a company, or an invitation still awaiting an answer.
    """
    _manager_required(company, by)
    User = get_user_model()
    email = User.objects.normalize_email(email or "").strip().lower()
    try:
        EmailValidator()(email)
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid email address.")}, code="invalid_email") from None
    if role not in TradeMember.Role.values:
        raise ValidationError({"role": _("Choose a role.")}, code="invalid_role")
    if TradeMember.objects.filter(user__email__iexact=email).exists():
        raise ValidationError({"email": _("This person already buys for a company.")}, code="already_member")
    now = timezone.now()
    with transaction.atomic():
        TradeCompany.objects.select_for_update().get(pk=company.pk)  # one invitation at a time per company
        invitation = TradeInvitation.objects.filter(company=company, email=email,
                                                    status=TradeInvitation.Status.PENDING).first()
        if invitation is not None and invitation.is_open:
            raise ValidationError({"email": _("An invitation to this address is already awaiting an answer.")},
                                  code="already_invited")
        invitation = invitation or TradeInvitation(company=company, email=email)
        invitation.role, invitation.invited_by = role, by
        invitation.created_at = now
        invitation.expires_at = now + timedelta(days=settings.TRADE_INVITATION_VALID_DAYS)
        invitation.save()
        log(company, "trade.member_invite", user=by, data={"email": email, "role": role})
        outbox_enqueue("marketplace.trade.tasks.trade_invitation_send", invitation.pk, public_base_url())
    return invitation


def trade_invitation_accept(*, invitation: TradeInvitation, user) -> TradeMember:
    """The invitee, signed in with the invited address, joins the company in the invited role.

    Raises PermissionDenied for another account; ValidationError for an invitation answered, withdrawn
    or expired, or a user who already buys for a company or works for the chamber.
    """
    if not user.is_authenticated or (user.email or "").strip().lower() != invitation.email:
        raise PermissionDenied(_("This invitation was sent to another email address."))
    if is_platform_official(user):
        raise ValidationError(_("Chamber staff and inspectors cannot hold a trade account."), code="official")
    with transaction.atomic():
        invitation = TradeInvitation.objects.select_for_update().get(pk=invitation.pk)
        if not invitation.is_open:
            raise ValidationError(_("This invitation has expired, was withdrawn or was already answered. Ask the "
                                    "company's manager to invite you again."), code="closed")
        if TradeMember.objects.filter(user=user).exists():
            raise ValidationError(_("You already buy for a company: one account, one company."), code="member")
        member = TradeMember.objects.create(company=invitation.company, user=user, role=invitation.role)
        invitation.status, invitation.answered_at = TradeInvitation.Status.ACCEPTED, timezone.now()
        invitation.save(update_fields=["status", "answered_at"])
        log(invitation.company, "trade.member_accept", user=user, data={"email": invitation.email})
    return member


def trade_invitation_revoke(*, invitation: TradeInvitation, by) -> TradeInvitation:
    _manager_required(invitation.company, by)
    with transaction.atomic():
        invitation = TradeInvitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.status != TradeInvitation.Status.PENDING:
            raise ValidationError(_("This invitation was already answered or withdrawn."), code="closed")
        invitation.status, invitation.answered_at = TradeInvitation.Status.REVOKED, timezone.now()
        invitation.save(update_fields=["status", "answered_at"])
        log(invitation.company, "trade.member_invite_revoke", user=by, data={"email": invitation.email})
    return invitation


def trade_member_remove(*, member: TradeMember, by) -> None:
    """A manager removes a user from the company (a user may also leave); the last manager stays.

    Raises PermissionDenied for someone else; ValidationError when it would leave no manager.
    """
    if member.user_id != by.pk:
        _manager_required(member.company, by)
    with transaction.atomic():
        TradeCompany.objects.select_for_update().get(pk=member.company_id)
        _last_manager_kept(member)
        member.delete()
        log(member.company, "trade.member_remove", user=by, data={"email": member.user.email})


def trade_member_role_change(*, member: TradeMember, role: str, by) -> TradeMember:
    _manager_required(member.company, by)
    if role not in TradeMember.Role.values:
        raise ValidationError(_("Choose a role."), code="invalid_role")
    with transaction.atomic():
        TradeCompany.objects.select_for_update().get(pk=member.company_id)
        if role != TradeMember.Role.MANAGER:
            _last_manager_kept(member)
        member.role = role
        member.save(update_fields=["role"])
        log(member.company, "trade.member_role", user=by, data={"email": member.user.email, "role": role})
    return member


def _last_manager_kept(member: TradeMember) -> None:
    if member.role == TradeMember.Role.MANAGER and not TradeMember.objects.filter(
            company_id=member.company_id, role=TradeMember.Role.MANAGER).exclude(pk=member.pk).exists():
        raise ValidationError(_("A company keeps at least one manager: make someone else manager first."),
                              code="last_manager")
