"""A seller's application for a label: evidence checked by its bytes, assignment to an inspector, the
inspection recorded against the scheme's criteria, and the decision, which issues the certificate.
Each function checks who may act (never only the UI), writes in one transaction and appends one event
to the application's chain."""

import hashlib
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.public_urls import public_base_url
from outbox.services import outbox_enqueue
from sellers.documents import document_content_type
from sellers.models import Seller
from sellers.roles import INSPECTORS_GROUP, LEAD_INSPECTORS_GROUP

from ..models import (
    CertificateSequence,
    LabelApplication,
    LabelCertificate,
    LabelCriterionVerdict,
    LabelEvidence,
    LabelInspection,
    LabelScheme,
)
from .chain import _event_append
from .inspectors import _conflict_checked, _in_group, _is_member

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
