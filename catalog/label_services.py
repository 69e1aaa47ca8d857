"""Quality labels: applications, assignment to inspectors, decisions, certificates, and the
hash-chained history of every decision.

Each function checks who may act (never only the UI), writes in one transaction and appends one
event to the application's chain.
"""

import hashlib
import json
from datetime import date, timedelta

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sellers.models import Seller, SellerMember

from .label_models import CertificateSequence, LabelApplication, LabelCertificate, LabelEvent, LabelScheme

GENESIS_HASH = "0" * 64
INSPECTORS_GROUP = "Label inspectors"
LEAD_INSPECTORS_GROUP = "Lead inspectors"


def _event_hash(*, application_id, position, action, actor_id, public_data, private_data, created_at, previous_hash) -> str:
    content = {
        "application": application_id, "position": position, "action": action, "actor": actor_id,
        "public": public_data, "private": private_data, "created_at": created_at.isoformat(),
        "previous": previous_hash,
    }
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _event_append(application, action, *, actor, public=None, private=None) -> LabelEvent:
    last = application.events.order_by("-position").first()
    event = LabelEvent(
        application=application, position=0 if last is None else last.position + 1, action=action, actor=actor,
        public_data=public or {}, private_data=private or {}, created_at=timezone.now(),
        previous_hash=GENESIS_HASH if last is None else last.hash,
    )
    event.hash = _event_hash(
        application_id=application.pk, position=event.position, action=action, actor_id=getattr(actor, "pk", None),
        public_data=event.public_data, private_data=event.private_data, created_at=event.created_at,
        previous_hash=event.previous_hash,
    )
    event.save()
    return event


def label_chain_first_broken_event(application: LabelApplication) -> LabelEvent | None:
    """The first event of the application's history whose content or link was altered; None if intact."""
    previous = GENESIS_HASH
    for expected_position, event in enumerate(application.events.order_by("position")):
        expected = _event_hash(
            application_id=event.application_id, position=event.position, action=event.action, actor_id=event.actor_id,
            public_data=event.public_data, private_data=event.private_data, created_at=event.created_at,
            previous_hash=event.previous_hash,
        )
        if event.position != expected_position or event.previous_hash != previous or event.hash != expected:
            return event
        previous = event.hash
    return None


def _is_member(user, seller) -> bool:
    return SellerMember.objects.filter(seller=seller, user=user).exists()


def _in_group(user, name) -> bool:
    return user.groups.filter(name=name).exists()


def label_apply(*, seller: Seller, scheme: LabelScheme, products, by) -> LabelApplication:
    """A seller's member applies for a scheme for some of the seller's products.

    Raises PermissionDenied for a non-member, ValidationError for a seller not verified, a scheme of
    another country, or a product of another seller.
    """
    if not _is_member(by, seller):
        raise PermissionDenied(_("Only the seller's members apply for its labels."))
    products = list(products)
    if seller.status != Seller.Status.VERIFIED:
        raise ValidationError(_("Only verified sellers apply for labels."), code="seller_not_verified")
    if scheme.country != seller.country:
        raise ValidationError(_("This scheme is not awarded in the seller's country."), code="scheme_country")
    if not products or any(product.seller_id != seller.pk for product in products):
        raise ValidationError({"products": _("Choose one or more of the seller's own products.")}, code="products")
    with transaction.atomic():
        application = LabelApplication.objects.create(scheme=scheme, seller=seller, applicant=by)
        application.products.set(products)
        _event_append(application, "applied", actor=by, public={"scheme": scheme.code, "products": len(products)})
    return application


def label_assign(*, application: LabelApplication, inspector, by) -> LabelApplication:
    """Give an application to an inspector: oneself, or anyone when ``by`` is a lead inspector.

    Raises PermissionDenied when ``by`` may not assign or the inspector is a member of the applying
    seller (a conflict of interest), ValidationError for an application already decided.
    """
    if not _in_group(inspector, INSPECTORS_GROUP):
        raise PermissionDenied(_("Only label inspectors are assigned applications."))
    if by != inspector and not _in_group(by, LEAD_INSPECTORS_GROUP):
        raise PermissionDenied(_("Only a lead inspector assigns applications to others."))
    if _is_member(inspector, application.seller):
        raise PermissionDenied(_("An inspector who belongs to the applying seller cannot inspect it."))
    with transaction.atomic():
        application = LabelApplication.objects.select_for_update().get(pk=application.pk)
        if application.status not in (LabelApplication.Status.SUBMITTED, LabelApplication.Status.ASSIGNED):
            raise ValidationError(_("This application has been decided."), code="decided")
        application.inspector, application.status = inspector, LabelApplication.Status.ASSIGNED
        application.save(update_fields=["inspector", "status"])
        _event_append(application, "assigned", actor=by, private={"inspector": inspector.pk})
    return application


def _certificate_number(scheme: LabelScheme, year: int) -> str:
    sequence, _created = CertificateSequence.objects.select_for_update().get_or_create(
        country=scheme.country, scheme_code=scheme.code, year=year
    )
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"{scheme.country}-{scheme.code}-{year}-{sequence.last:06d}"


def _add_months(start: date, months: int) -> date:
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    for day in (start.day, 30, 29, 28):
        try:
            return start.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def label_decide(*, application: LabelApplication, by, approve: bool, reason: str = "") -> LabelApplication:
    """The assigned inspector approves (a certificate is issued) or rejects with a reason.

    Raises PermissionDenied for anyone but the assigned inspector, or an inspector who belongs to the
    seller; ValidationError for an application not assigned or a rejection without a reason.
    """
    if _is_member(by, application.seller):
        raise PermissionDenied(_("An inspector who belongs to the applying seller cannot decide on it."))
    if not approve and not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the rejection.")}, code="reason_needed")
    with transaction.atomic():
        application = LabelApplication.objects.select_for_update().get(pk=application.pk)
        if application.inspector_id != getattr(by, "pk", None):
            raise PermissionDenied(_("Only the assigned inspector decides on an application."))
        if application.status != LabelApplication.Status.ASSIGNED:
            raise ValidationError(_("Only an assigned application can be decided."), code="not_assigned")
        if approve:
            today = timezone.localdate()
            certificate = LabelCertificate.objects.create(
                number=_certificate_number(application.scheme, today.year), application=application,
                scheme=application.scheme, seller=application.seller, valid_from=today,
                valid_until=_add_months(today, application.scheme.validity_months),
            )
            certificate.products.set(application.products.all())
            application.status = LabelApplication.Status.APPROVED
            _event_append(
                application, "approved", actor=by,
                public={"certificate": certificate.number, "valid_until": certificate.valid_until.isoformat()},
                private={"notes": reason},
            )
        else:
            application.status = LabelApplication.Status.REJECTED
            _event_append(application, "rejected", actor=by, private={"reason": reason.strip()})
        application.save(update_fields=["status"])
    return application


def label_inspectors_group() -> Group:
    return Group.objects.get_or_create(name=INSPECTORS_GROUP)[0]


def _inspector_acting_on(certificate: LabelCertificate, by) -> None:
    if not _in_group(by, INSPECTORS_GROUP):
        raise PermissionDenied(_("Only label inspectors act on certificates."))
    if _is_member(by, certificate.seller):
        raise PermissionDenied(_("An inspector who belongs to the seller cannot act on its certificates."))


def _certificate_change(certificate, *, allowed_from, to, action, by, reason, **fields):
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
        _event_append(certificate.application, action, actor=by, public={"reason": reason} if reason else {})
    return certificate


def label_certificate_suspend(*, certificate: LabelCertificate, by, reason: str) -> LabelCertificate:
    """An inspector suspends an active certificate, with a reason shown on the verify page."""
    _inspector_acting_on(certificate, by)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the suspension.")}, code="reason_needed")
    return _certificate_change(
        certificate, allowed_from={LabelCertificate.Status.ACTIVE}, to=LabelCertificate.Status.SUSPENDED,
        action="suspended", by=by, reason=reason.strip(),
    )


def label_certificate_reinstate(*, certificate: LabelCertificate, by) -> LabelCertificate:
    """An inspector lifts a suspension of a certificate still within its validity."""
    _inspector_acting_on(certificate, by)
    if certificate.valid_until < timezone.localdate():
        raise ValidationError(_("This certificate has passed its validity; the seller applies again."), code="expired")
    return _certificate_change(
        certificate, allowed_from={LabelCertificate.Status.SUSPENDED}, to=LabelCertificate.Status.ACTIVE,
        action="reinstated", by=by, reason="",
    )


def label_certificate_revocation_request(*, certificate: LabelCertificate, by, reason: str) -> LabelCertificate:
    """A first inspector asks for a revocation; it takes effect when a second one confirms it."""
    _inspector_acting_on(certificate, by)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the revocation.")}, code="reason_needed")
    with transaction.atomic():
        certificate = LabelCertificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.status not in (LabelCertificate.Status.ACTIVE, LabelCertificate.Status.SUSPENDED):
            raise ValidationError(_("Only an active or suspended certificate can be revoked."), code="invalid_transition")
        if certificate.revocation_requested_by_id:
            raise ValidationError(_("A revocation is already awaiting confirmation."), code="already_requested")
        certificate.revocation_requested_by, certificate.revocation_reason = by, reason.strip()
        certificate.save(update_fields=["revocation_requested_by", "revocation_reason"])
        _event_append(certificate.application, "revocation_requested", actor=by, private={"reason": reason.strip()})
    return certificate


def label_certificate_revocation_confirm(*, certificate: LabelCertificate, by) -> LabelCertificate:
    """A second inspector, never the one who asked, confirms the revocation."""
    _inspector_acting_on(certificate, by)
    certificate = LabelCertificate.objects.get(pk=certificate.pk)
    if certificate.revocation_requested_by_id is None:
        raise ValidationError(_("No revocation has been requested."), code="not_requested")
    if certificate.revocation_requested_by_id == by.pk:
        raise PermissionDenied(_("A second inspector must confirm the revocation."))
    return _certificate_change(
        certificate, allowed_from={LabelCertificate.Status.ACTIVE, LabelCertificate.Status.SUSPENDED},
        to=LabelCertificate.Status.REVOKED, action="revoked", by=by, reason=certificate.revocation_reason,
    )


def label_certificates_expire(*, today: date | None = None) -> int:
    """Expire every active or suspended certificate past its validity; returns how many."""
    today = today or timezone.localdate()
    due = LabelCertificate.objects.filter(
        status__in=[LabelCertificate.Status.ACTIVE, LabelCertificate.Status.SUSPENDED], valid_until__lt=today
    )
    count = 0
    for certificate in due.select_related("application"):
        _certificate_change(
            certificate, allowed_from={LabelCertificate.Status.ACTIVE, LabelCertificate.Status.SUSPENDED},
            to=LabelCertificate.Status.EXPIRED, action="expired", by=None, reason="",
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
