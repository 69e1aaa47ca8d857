"""Quality labels: applications, assignment to inspectors, decisions, certificates, and the
hash-chained history of every decision.

Each function checks who may act (never only the UI), writes in one transaction and appends one
event to the application's chain.
"""

import hashlib
import json
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.public_urls import public_base_url
from outbox.services import outbox_enqueue
from sellers.documents import document_content_type
from sellers.models import Seller, SellerMember
from sellers.roles import CHAMBER_STAFF_GROUP, INSPECTORS_GROUP, LEAD_INSPECTORS_GROUP, role_groups_ensure
from sellers.selectors import seller_member_at, seller_member_ids_at

from .models import (
    CertificateSequence,
    LabelApplication,
    LabelCertificate,
    LabelCriterionVerdict,
    LabelEvent,
    LabelEvidence,
    LabelInspection,
    LabelScheme,
)

GENESIS_HASH = "0" * 64


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
    LabelApplication.objects.filter(pk=application.pk).update(events_head=event.hash, events_count=event.position + 1)
    return event


def label_chain_first_broken_event(application: LabelApplication) -> LabelEvent | None:
    """The first event of the application's history whose content or link was altered; None if intact.

    When events were removed from the end, an unsaved event named "missing" stands at the first
    missing position.
    """
    application.refresh_from_db(fields=["events_head", "events_count"])
    previous, count = GENESIS_HASH, 0
    for expected_position, event in enumerate(application.events.order_by("position")):
        expected = _event_hash(
            application_id=event.application_id, position=event.position, action=event.action, actor_id=event.actor_id,
            public_data=event.public_data, private_data=event.private_data, created_at=event.created_at,
            previous_hash=event.previous_hash,
        )
        if event.position != expected_position or event.previous_hash != previous or event.hash != expected:
            return event
        previous = event.hash
        count = expected_position + 1
    if (count, previous) != (application.events_count, application.events_head or GENESIS_HASH):
        # The history ends before its recorded head: its last events were removed.
        return LabelEvent(application=application, position=count, action="missing")
    return None


def _is_member(user, seller) -> bool:
    return SellerMember.objects.filter(seller=seller, user=user).exists()


def _in_group(user, name) -> bool:
    return user.groups.filter(name=name).exists()


# Conflict of interest. An inspector is conflicted on an application (and on the certificate it
# led to) when they belonged to the applying seller on the day it applied: a membership that began
# later does not count, so a seller cannot make inspectors "conflicted" by adding them, and one that
# ended later still counts, so removing a member does not clear it. When every inspector is
# conflicted, a lead inspector may act all the same; the history records that override.
NOT_CONFLICTED, CONFLICT_OVERRIDDEN, CONFLICTED = "none", "overridden", "conflicted"


def _active_inspector_ids() -> set[int]:
    return set(get_user_model().objects.filter(groups__name=INSPECTORS_GROUP, is_active=True).values_list("pk", flat=True))


def label_conflict(*, user, application: LabelApplication) -> str:
    """Whether ``user`` is conflicted on ``application``: ``NOT_CONFLICTED``, ``CONFLICTED``, or
    ``CONFLICT_OVERRIDDEN`` for a conflicted lead inspector when every inspector is conflicted."""
    if not seller_member_at(seller=application.seller_id, user=user, moment=application.submitted_at):
        return NOT_CONFLICTED
    if is_lead_inspector(user) and _active_inspector_ids() <= seller_member_ids_at(
        seller=application.seller_id, moment=application.submitted_at
    ):
        return CONFLICT_OVERRIDDEN
    return CONFLICTED


def _conflict_checked(user, application: LabelApplication, message) -> dict:
    """Raises PermissionDenied with ``message`` for a conflicted user; the private data to record
    with the event otherwise (the override, if any)."""
    conflict = label_conflict(user=user, application=application)
    if conflict == CONFLICTED:
        raise PermissionDenied(message)
    return {"conflict_override": True} if conflict == CONFLICT_OVERRIDDEN else {}


def label_inspectors_eligible(*, application: LabelApplication):
    """The inspectors who may be given the application: those not conflicted on it, or, when every
    inspector is, the lead inspectors."""
    inspector_ids = _active_inspector_ids()
    conflicted = seller_member_ids_at(seller=application.seller_id, moment=application.submitted_at)
    eligible = get_user_model().objects.filter(pk__in=inspector_ids)
    if inspector_ids <= conflicted:
        eligible = eligible.filter(groups__name=LEAD_INSPECTORS_GROUP)
    else:
        eligible = eligible.exclude(pk__in=conflicted)
    return eligible.distinct().order_by("first_name", "username")


EVIDENCE_MAX_FILES = 10


def _evidence_checked(uploads, *, images_only=False) -> list[tuple[object, str]]:
    """Each upload with its content type; raises ValidationError naming every refused file."""
    uploads = list(uploads)
    if len(uploads) > EVIDENCE_MAX_FILES:
        raise ValidationError(
            {"evidence": _("Attach %(count)d files at most.") % {"count": EVIDENCE_MAX_FILES}}, code="too_many_files"
        )
    checked, errors = [], []
    for upload in uploads:
        try:
            content_type = document_content_type(upload)
        except ValidationError as error:
            errors.extend(error.messages)
            continue
        if images_only and not content_type.startswith("image/"):
            errors.append(_("“%(name)s” is not a JPEG or PNG photo.") % {"name": upload.name})
            continue
        checked.append((upload, content_type))
    if errors:
        raise ValidationError({"evidence": errors}, code="evidence")
    return checked


def _evidence_store(application, checked, *, by, inspection=None, stored: list) -> list[LabelEvidence]:
    """Saves the files and their rows; ``stored`` collects the file names so a rollback can delete them."""
    evidence = []
    for upload, content_type in checked:
        upload.seek(0)
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        item = LabelEvidence(
            application=application, inspection=inspection, original_name=upload.name[:255], content_type=content_type,
            size=upload.size, sha256=digest.hexdigest(), uploaded_by=by,
        )
        item.file.save(upload.name, upload, save=False)
        stored.append(item.file.name)
        item.save()
        evidence.append(item)
    return evidence


def _files_removed(names) -> None:
    storage = LabelEvidence._meta.get_field("file").storage
    for name in names:
        storage.delete(name)


def is_label_inspector(user) -> bool:
    return user.is_authenticated and _in_group(user, INSPECTORS_GROUP)


def is_lead_inspector(user) -> bool:
    return user.is_authenticated and _in_group(user, LEAD_INSPECTORS_GROUP)


def label_apply(*, seller: Seller, scheme: LabelScheme, products, by, statement: str = "", evidence=(),
                renews: LabelCertificate | None = None) -> LabelApplication:
    """A seller's member applies for a scheme for some of the seller's products, with evidence
    (photos, PDF documents). Renewing a certificate is a new application naming it.

    Raises PermissionDenied for a non-member, ValidationError for a seller not verified, a scheme of
    another country, a product of another seller, a refused file or a certificate of another seller
    or scheme. Nothing is saved then, no file is left behind.
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
    if renews is not None and (renews.seller_id != seller.pk or renews.scheme_id != scheme.pk):
        raise ValidationError({"renews": _("Renew one of this seller's certificates of the same scheme.")}, code="renews")
    if renews is not None and renews.status == LabelCertificate.Status.REVOKED:
        raise ValidationError({"renews": _("A revoked certificate cannot be renewed; apply anew.")}, code="renews")
    checked = _evidence_checked(evidence)
    stored = []
    try:
        with transaction.atomic():
            application = LabelApplication.objects.create(
                scheme=scheme, seller=seller, applicant=by, statement=statement.strip(), renews=renews
            )
            application.products.set(products)
            files = _evidence_store(application, checked, by=by, stored=stored)
            public = {"scheme": scheme.code, "products": len(products)}
            if renews is not None:
                public["renews"] = renews.number
            _event_append(
                application, "applied", actor=by, public=public,
                private={"statement": application.statement, "evidence": [item.sha256 for item in files]},
            )
    except BaseException:
        _files_removed(stored)
        raise
    return application


def label_assign(*, application: LabelApplication, inspector, by, reason: str = "") -> LabelApplication:
    """Give an application to an inspector: an unassigned one to oneself, or any open one to anyone
    when ``by`` is a lead inspector. Taking an application from the inspector it is assigned to is a
    lead's reassignment, with a reason kept in the history; the new inspector then records their own
    inspection before deciding (``label_decide``).

    Raises PermissionDenied when ``by`` may not assign or reassign, or when the inspector (or the
    lead assigning) is conflicted (``label_conflict``); ValidationError for an application already
    decided or a reassignment without a reason.
    """
    if not _in_group(inspector, INSPECTORS_GROUP):
        raise PermissionDenied(_("Only label inspectors are assigned applications."))
    is_lead = _in_group(by, LEAD_INSPECTORS_GROUP)
    if by != inspector and not is_lead:
        raise PermissionDenied(_("Only a lead inspector assigns applications to others."))
    conflict_message = _("An inspector who belonged to the applying seller when it applied cannot inspect it.")
    private = _conflict_checked(inspector, application, conflict_message)
    if by != inspector:
        private.update(_conflict_checked(by, application, conflict_message))
    with transaction.atomic():
        application = LabelApplication.objects.select_for_update().get(pk=application.pk)
        if application.status not in (LabelApplication.Status.SUBMITTED, LabelApplication.Status.ASSIGNED):
            raise ValidationError(_("This application has been decided."), code="decided")
        previous = application.inspector_id
        reassigned = previous is not None and previous != inspector.pk
        if reassigned and not is_lead:
            raise PermissionDenied(_("This application is already assigned to another inspector: only a lead inspector "
                                     "reassigns it."))
        if reassigned and not reason.strip():
            raise ValidationError(
                {"reason": _("Give the reason for the reassignment: it is kept in the application's history.")},
                code="reason_needed",
            )
        application.inspector, application.status = inspector, LabelApplication.Status.ASSIGNED
        application.save(update_fields=["inspector", "status"])
        private["inspector"] = inspector.pk
        if reassigned:
            private.update(previous_inspector=previous, reason=reason.strip())
        _event_append(application, "reassigned" if reassigned else "assigned", actor=by, private=private)
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


def label_inspection_record(*, application: LabelApplication, by, visit_date: date, verdicts: dict,
                            notes: str = "", photos=()) -> LabelInspection:
    """The assigned inspector records a visit: a verdict (met, not met, not applicable) and notes for
    every criterion of the scheme, general notes and evidence photos.

    ``verdicts`` maps each criterion's id to ``(verdict, notes)``. Raises PermissionDenied for anyone
    but the assigned inspector or a conflicted one (``label_conflict``); ValidationError for an
    application not assigned, a visit date in the future or before the application, a criterion
    without a verdict, or a refused photo. Nothing is saved then.
    """
    conflict = _conflict_checked(
        by, application, _("An inspector who belonged to the applying seller when it applied cannot inspect it.")
    )
    criteria = list(application.scheme.criteria.all())
    errors = {}
    if visit_date > timezone.localdate():
        errors["visit_date"] = [_("The visit date cannot be in the future.")]
    elif visit_date < timezone.localtime(application.submitted_at).date():
        errors["visit_date"] = [_("The visit cannot precede the application.")]
    missing = [criterion.text for criterion in criteria if verdicts.get(criterion.pk, (None,))[0] not in
               LabelCriterionVerdict.Verdict.values]
    if missing:
        errors["verdicts"] = [_("Give a verdict for every criterion: %(criteria)s.") % {"criteria": "; ".join(missing)}]
    try:
        checked = _evidence_checked(photos, images_only=True)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    stored = []
    try:
        with transaction.atomic():
            application = LabelApplication.objects.select_for_update().get(pk=application.pk)
            if application.inspector_id != getattr(by, "pk", None):
                raise PermissionDenied(_("Only the assigned inspector records the inspection."))
            if application.status != LabelApplication.Status.ASSIGNED:
                raise ValidationError(_("Only an assigned application is inspected."), code="not_assigned")
            inspection = LabelInspection.objects.create(
                application=application, inspector=by, visit_date=visit_date, notes=notes.strip()
            )
            LabelCriterionVerdict.objects.bulk_create(
                LabelCriterionVerdict(
                    inspection=inspection, criterion=criterion, criterion_text=criterion.text, required=criterion.required,
                    verdict=verdicts[criterion.pk][0], notes=(verdicts[criterion.pk][1] or "").strip(),
                )
                for criterion in criteria
            )
            files = _evidence_store(application, checked, by=by, inspection=inspection, stored=stored)
            _event_append(
                application, "inspected", actor=by, public={"visit_date": visit_date.isoformat()},
                private={
                    **conflict,
                    "notes": inspection.notes,
                    "verdicts": [[criterion.text, *verdicts[criterion.pk]] for criterion in criteria],
                    "evidence": [item.sha256 for item in files],
                },
            )
    except BaseException:
        _files_removed(stored)
        raise
    return inspection


def label_decide(*, application: LabelApplication, by, approve: bool, reason: str = "", level: str = "") -> LabelApplication:
    """The assigned inspector approves (a certificate is issued) or rejects with a reason. Once a visit
    is recorded, only the inspector who recorded the latest one decides: an inspector given the
    application later (a lead's reassignment) records their own visit first.

    Approval needs a recorded inspection whose latest visit found every required criterion met, and
    one of the scheme's levels when it has any. Raises PermissionDenied for anyone but the assigned
    inspector who made the latest visit, or a conflicted inspector (``label_conflict``);
    ValidationError for an application not assigned, not inspected or failing a required criterion,
    or a rejection without a reason.
    """
    conflict = _conflict_checked(
        by, application, _("An inspector who belonged to the applying seller when it applied cannot decide on it.")
    )
    if not approve and not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the rejection.")}, code="reason_needed")
    with transaction.atomic():
        application = LabelApplication.objects.select_for_update().get(pk=application.pk)
        if application.inspector_id != getattr(by, "pk", None):
            raise PermissionDenied(_("Only the assigned inspector decides on an application."))
        if application.status != LabelApplication.Status.ASSIGNED:
            raise ValidationError(_("Only an assigned application can be decided."), code="not_assigned")
        latest = application.inspections.order_by("-recorded_at", "-pk").first()
        if latest is not None and latest.inspector_id != by.pk:
            raise PermissionDenied(_("The inspector who recorded the latest visit decides. Record your own inspection "
                                     "before deciding."))
        if approve:
            _approval_checked(application, level)
            today = timezone.localdate()
            certificate = LabelCertificate.objects.create(
                number=_certificate_number(application.scheme, today.year), application=application,
                scheme=application.scheme, seller=application.seller, level=level, valid_from=today,
                valid_until=_add_months(today, application.scheme.validity_months),
            )
            certificate.products.set(application.products.all())
            application.status = LabelApplication.Status.APPROVED
            public = {"certificate": certificate.number, "valid_until": certificate.valid_until.isoformat()}
            if level:
                public["level"] = level
            if application.renews_id:
                public["renews"] = application.renews.number
            _event_append(application, "approved", actor=by, public=public, private={**conflict, "notes": reason.strip()})
        else:
            application.status = LabelApplication.Status.REJECTED
            _event_append(application, "rejected", actor=by, private={**conflict, "reason": reason.strip()})
        application.save(update_fields=["status"])
        outbox_enqueue("labels.tasks.label_decision_email_send", application.pk, public_base_url())
    return application


def _approval_checked(application: LabelApplication, level: str) -> None:
    inspection = application.inspections.order_by("-recorded_at", "-pk").prefetch_related("verdicts").first()
    if inspection is None:
        raise ValidationError(_("Record the inspection before approving."), code="not_inspected")
    if not inspection.required_criteria_met:
        raise ValidationError(
            _("The last inspection found a required criterion not met; reject, or record a new visit."),
            code="criteria_not_met",
        )
    levels = list(application.scheme.levels.values_list("name", flat=True))
    if levels and level not in levels:
        raise ValidationError({"level": _("Choose the level awarded.")}, code="level_needed")
    if not levels and level:
        raise ValidationError({"level": _("This scheme has no levels.")}, code="no_levels")


def label_inspectors_group() -> Group:
    return Group.objects.get_or_create(name=INSPECTORS_GROUP)[0]


_LABEL_RECORDS = ("labels.view_labelapplication", "labels.view_labelcertificate", "labels.view_labelscheme",
                  "wagtailadmin.access_admin")
LABEL_GROUP_PERMISSIONS = {
    INSPECTORS_GROUP: _LABEL_RECORDS,
    LEAD_INSPECTORS_GROUP: (*_LABEL_RECORDS, "labels.add_labelscheme", "labels.change_labelscheme"),
    CHAMBER_STAFF_GROUP: _LABEL_RECORDS,
}


def label_groups_ensure(*, using: str = DEFAULT_DB_ALIAS) -> None:
    """The inspectors' groups and what they and chamber staff may see in the admin. Idempotent."""
    role_groups_ensure(LABEL_GROUP_PERMISSIONS, using=using)


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
