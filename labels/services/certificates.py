"""Certificates after issue: suspended, reinstated, revoked (asked by one inspector, confirmed by a lead),
expired by the daily run, and reminded before expiry; every change an event of the chain."""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sellers.roles import INSPECTORS_GROUP

from ..models import (
    LabelCertificate,
)
from .chain import _event_append
from .inspectors import CONFLICTED, _conflict_checked, _in_group, is_label_inspector, label_conflict


def _inspector_acting_on(certificate: LabelCertificate, by) -> dict:
    """Raises PermissionDenied for anyone but an inspector not conflicted on the certificate's
    application; returns the private data to record (a lead's override, if any)."""
    if not _in_group(by, INSPECTORS_GROUP):
        raise PermissionDenied(_("Only label inspectors act on certificates."))
    return _conflict_checked(
        by, certificate.application,
        _("An inspector who belonged to the seller when it applied cannot act on this certificate."),
    )


def _certificate_change(certificate, *, allowed_from, to, action, by, reason, private=None, **fields):
    with transaction.atomic():
        certificate = LabelCertificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.status not in allowed_from:
            raise ValidationError(
                _("A certificate whose status is “%(status)s” cannot be given this decision.")
                % {"status": certificate.get_status_display()},
                code="invalid_transition",
            )
        certificate.status = to
        certificate.status_reason = reason
        for name, value in fields.items():
            setattr(certificate, name, value)
        certificate.save()
        _event_append(certificate.application, action, actor=by, public={"reason": reason} if reason else {},
                      private=private)
    return certificate


IN_FORCE = frozenset({LabelCertificate.Status.ACTIVE, LabelCertificate.Status.SUSPENDED})


# Which certificate statuses each inspector's decision applies to.
CERTIFICATE_DECISIONS = {
    "suspend": frozenset({LabelCertificate.Status.ACTIVE}),
    "reinstate": frozenset({LabelCertificate.Status.SUSPENDED}),
    "revoke": IN_FORCE,
    "confirm-revocation": IN_FORCE,
}


def label_certificate_decisions(certificate: LabelCertificate, by) -> list[str]:
    """The decisions an inspector can make on a certificate now (each is checked again when made)."""
    if not is_label_inspector(by) or label_conflict(user=by, application=certificate.application) == CONFLICTED:
        return []
    requested_by = certificate.revocation_requested_by_id
    closed = {"revoke"} if requested_by is not None else set()
    if requested_by is None or requested_by == by.pk:  # a second inspector confirms
        closed.add("confirm-revocation")
    return [decision for decision, statuses in CERTIFICATE_DECISIONS.items()
            if certificate.status in statuses and decision not in closed]


def label_certificate_suspend(*, certificate: LabelCertificate, by, reason: str) -> LabelCertificate:
    """An inspector suspends an active certificate, with a reason shown on the verify page."""
    private = _inspector_acting_on(certificate, by)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the suspension.")}, code="reason_needed")
    return _certificate_change(
        certificate, allowed_from=CERTIFICATE_DECISIONS["suspend"], to=LabelCertificate.Status.SUSPENDED,
        action="suspended", by=by, reason=reason.strip(), private=private,
    )


def label_certificate_reinstate(*, certificate: LabelCertificate, by) -> LabelCertificate:
    """An inspector lifts a suspension of a certificate still within its validity."""
    private = _inspector_acting_on(certificate, by)
    if certificate.valid_until < timezone.localdate():
        raise ValidationError(_("This certificate has passed its validity; the seller applies again."), code="expired")
    return _certificate_change(
        certificate, allowed_from=CERTIFICATE_DECISIONS["reinstate"], to=LabelCertificate.Status.ACTIVE,
        action="reinstated", by=by, reason="", private=private,
    )


def label_certificate_revocation_request(*, certificate: LabelCertificate, by, reason: str) -> LabelCertificate:
    """A first inspector asks for a revocation; it takes effect when a second one confirms it."""
    private = _inspector_acting_on(certificate, by)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the revocation.")}, code="reason_needed")
    with transaction.atomic():
        certificate = LabelCertificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.status not in CERTIFICATE_DECISIONS["revoke"]:
            raise ValidationError(_("Only an active or suspended certificate can be revoked."), code="invalid_transition")
        if certificate.revocation_requested_by_id:
            raise ValidationError(_("A revocation is already awaiting confirmation."), code="already_requested")
        certificate.revocation_requested_by, certificate.revocation_reason = by, reason.strip()
        certificate.save(update_fields=["revocation_requested_by", "revocation_reason"])
        _event_append(certificate.application, "revocation_requested", actor=by,
                      private={**private, "reason": reason.strip()})
    return certificate


def label_certificate_revocation_confirm(*, certificate: LabelCertificate, by) -> LabelCertificate:
    """A second inspector, never the one who asked, confirms the revocation."""
    private = _inspector_acting_on(certificate, by)
    certificate = LabelCertificate.objects.get(pk=certificate.pk)
    if certificate.revocation_requested_by_id is None:
        raise ValidationError(_("No revocation has been requested."), code="not_requested")
    if certificate.revocation_requested_by_id == by.pk:
        raise PermissionDenied(_("A second inspector must confirm the revocation."))
    return _certificate_change(
        certificate, allowed_from=CERTIFICATE_DECISIONS["confirm-revocation"],
        to=LabelCertificate.Status.REVOKED, action="revoked", by=by, reason=certificate.revocation_reason,
        private=private,
    )


def label_certificates_expire(*, today: date | None = None) -> int:
    """Expire every active or suspended certificate past its validity; returns how many."""
    today = today or timezone.localdate()
    due = LabelCertificate.objects.filter(status__in=IN_FORCE, valid_until__lt=today)
    count = 0
    for certificate in due.select_related("application"):
        _certificate_change(
            certificate, allowed_from=IN_FORCE, to=LabelCertificate.Status.EXPIRED, action="expired", by=None, reason="",
        )
        count += 1
    return count


EXPIRY_NOTICE_DAYS = 30


def label_certificates_expiring(*, today: date | None = None):
    """Active certificates whose validity ends in exactly 30 days: their sellers are told to renew."""
    today = today or timezone.localdate()
    return LabelCertificate.objects.filter(
        status=LabelCertificate.Status.ACTIVE, valid_until=today + timedelta(days=EXPIRY_NOTICE_DAYS)
    ).select_related("seller", "scheme")
