"""Trade accounts: a company applies (its details and proof of activity), chamber staff decide, and its
VAT number is checked. Each function validates, writes in one transaction and queues its emails and
checks through the outbox, so nothing is sent for a write that rolled back.
"""

import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from config.public_urls import public_base_url
from outbox.services import outbox_enqueue
from sellers.documents import document_content_type
from sellers.roles import is_platform_official

from .models import TradeCompany, TradeDocument, TradeMember
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
