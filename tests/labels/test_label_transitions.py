"""Every decision tried from every state: the allowed ones succeed, the others are refused and change
nothing (status and history stay as they were)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from labels.models import LabelApplication, LabelCertificate
from labels.services import (
    label_assign,
    label_certificate_reinstate,
    label_certificate_revocation_confirm,
    label_certificate_revocation_request,
    label_certificate_suspend,
    label_certificates_expire,
    label_decide,
)
from tests.factories.labels import applied, approved, inspected

pytestmark = pytest.mark.django_db


def application_in(state, scheme, applicant, inspector):
    application = applied(scheme, applicant)
    if state == "submitted":
        return application
    label_assign(application=application, inspector=inspector, by=inspector)
    if state == "approved":
        approved(application, inspector)
    elif state == "rejected":
        label_decide(application=application, by=inspector, approve=False, reason="Not handmade.")
    application.refresh_from_db()
    return application


def application_action(action, application, inspector):
    if action == "assign":
        label_assign(application=application, inspector=inspector, by=inspector)
    elif action == "inspect":
        inspected(application, inspector)
    elif action == "approve":
        if not application.inspections.exists() and application.status == LabelApplication.Status.ASSIGNED:
            inspected(application, inspector)
        label_decide(application=application, by=inspector, approve=True)
    else:
        label_decide(application=application, by=inspector, approve=False, reason="Synthetic dyes.")


APPLICATION_ALLOWED = {
    "submitted": {"assign"},
    "assigned": {"assign", "inspect", "approve", "reject"},
    "approved": set(),
    "rejected": set(),
}


@pytest.mark.parametrize("state", APPLICATION_ALLOWED)
@pytest.mark.parametrize("action", ["assign", "inspect", "approve", "reject"])
def test_application_transitions(state, action, scheme, applicant, inspector):
    application = application_in(state, scheme, applicant, inspector)
    events_before = application.events.count()
    if action in APPLICATION_ALLOWED[state]:
        application_action(action, application, inspector)
        assert application.events.count() > events_before
    else:
        with pytest.raises((PermissionDenied, ValidationError)):
            application_action(action, application, inspector)
        application.refresh_from_db()
        assert application.status == state and application.events.count() == events_before


def certificate_in(state, certificate, inspector, second_inspector):
    if state == "suspended":
        label_certificate_suspend(certificate=certificate, by=inspector, reason="Complaint.")
    elif state == "revoked":
        label_certificate_revocation_request(certificate=certificate, by=inspector, reason="Fraud.")
        label_certificate_revocation_confirm(certificate=certificate, by=second_inspector)
    elif state == "expired":
        label_certificates_expire(today=certificate.valid_until + timedelta(days=1))
    certificate.refresh_from_db()
    assert certificate.status == state
    return certificate


def certificate_action(action, certificate, inspector, second_inspector):
    if action == "suspend":
        label_certificate_suspend(certificate=certificate, by=inspector, reason="Another complaint.")
    elif action == "reinstate":
        label_certificate_reinstate(certificate=certificate, by=inspector)
    elif action == "revoke":
        label_certificate_revocation_request(certificate=certificate, by=inspector, reason="Counterfeit.")
        label_certificate_revocation_confirm(certificate=certificate, by=second_inspector)
    else:  # the daily task, run the day after the validity ends
        if not label_certificates_expire(today=certificate.valid_until + timedelta(days=1)):
            raise ValidationError("nothing to expire")


CERTIFICATE_ALLOWED = {
    "active": {"suspend": "suspended", "revoke": "revoked", "expire": "expired"},
    "suspended": {"reinstate": "active", "revoke": "revoked", "expire": "expired"},
    "revoked": {},
    "expired": {},
}


@pytest.mark.parametrize("state", CERTIFICATE_ALLOWED)
@pytest.mark.parametrize("action", ["suspend", "reinstate", "revoke", "expire"])
def test_certificate_transitions(state, action, certificate, inspector, second_inspector):
    certificate = certificate_in(state, certificate, inspector, second_inspector)
    events_before = certificate.application.events.count()
    if action in CERTIFICATE_ALLOWED[state]:
        certificate_action(action, certificate, inspector, second_inspector)
        certificate.refresh_from_db()
        assert certificate.status == CERTIFICATE_ALLOWED[state][action]
    else:
        with pytest.raises((PermissionDenied, ValidationError)):
            certificate_action(action, certificate, inspector, second_inspector)
        certificate.refresh_from_db()
        assert certificate.status == state and certificate.application.events.count() == events_before


def test_an_expired_suspension_cannot_be_lifted(certificate, inspector, second_inspector):
    """Within the validity a suspension is lifted; once the validity has passed the seller reapplies."""
    label_certificate_suspend(certificate=certificate, by=inspector, reason="Complaint.")
    LabelCertificate.objects.filter(pk=certificate.pk).update(valid_until=certificate.valid_from - timedelta(days=1))
    certificate.refresh_from_db()
    with pytest.raises(ValidationError, match="passed its validity"):
        label_certificate_reinstate(certificate=certificate, by=inspector)


@pytest.mark.parametrize("state, offered", [
    ("active", ["suspend", "revoke"]), ("suspended", ["reinstate", "revoke"]), ("revoked", []), ("expired", []),
])
def test_the_decisions_offered_are_those_the_services_allow(state, offered, certificate, inspector, second_inspector):
    from labels.services import label_certificate_decisions

    certificate = certificate_in(state, certificate, inspector, second_inspector)
    assert label_certificate_decisions(certificate, inspector) == offered
    if "revoke" in offered:
        label_certificate_revocation_request(certificate=certificate, by=inspector, reason="Fraud.")
        certificate.refresh_from_db()
        assert "confirm-revocation" not in label_certificate_decisions(certificate, inspector)
        assert "confirm-revocation" in label_certificate_decisions(certificate, second_inspector)
