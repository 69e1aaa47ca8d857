"""Evidence with applications, inspections per criterion, approval rules, levels and renewals."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from labels.models import LabelApplication, LabelCertificate, LabelEvidence, LabelInspection
from labels.services import label_assign, label_decide, label_inspection_record
from tests.factories.catalog import jpeg_bytes
from tests.factories.labels import applied, approved, inspected, scheme_create
from tests.factories.sellers import member_since

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def private_files() -> list[Path]:
    root = Path(settings.PRIVATE_MEDIA_ROOT) / "label-evidence"
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.fixture(autouse=True)
def files_written():
    """The evidence files a test leaves behind (removed afterwards)."""
    before = set(private_files())
    written = lambda: sorted(set(private_files()) - before)  # noqa: E731
    yield written
    for path in written():
        path.unlink()


def assigned(scheme, applicant, inspector, **kwargs):
    return label_assign(application=applied(scheme, applicant, **kwargs), inspector=inspector, by=inspector)


class TestEvidence:
    def test_photos_and_documents_are_kept_privately_and_covered_by_the_history(self, scheme, applicant):
        evidence = [SimpleUploadedFile("loom.jpg", jpeg_bytes()), SimpleUploadedFile("statutes.pdf", PDF)]
        application = applied(scheme, applicant, statement="Hand-knotted wool.", evidence=evidence)
        stored = list(application.evidence.order_by("pk"))
        assert [(item.original_name, item.content_type) for item in stored] == [
            ("loom.jpg", "image/jpeg"), ("statutes.pdf", "application/pdf")]
        assert all(Path(item.file.path).is_relative_to(settings.PRIVATE_MEDIA_ROOT) for item in stored)
        assert application.events.get().private_data["evidence"] == [item.sha256 for item in stored]

    def test_a_refused_file_saves_nothing_and_leaves_no_file(self, scheme, applicant, files_written):
        evidence = [SimpleUploadedFile("loom.jpg", jpeg_bytes()), SimpleUploadedFile("setup.exe", b"MZ\x90\x00rest")]
        with pytest.raises(ValidationError) as error:
            applied(scheme, applicant, evidence=evidence)
        assert "setup.exe" in str(error.value.message_dict["evidence"])
        assert not LabelApplication.objects.exists() and not LabelEvidence.objects.exists()
        assert files_written() == []

    def test_a_failure_while_saving_removes_the_files_already_written(self, scheme, applicant, monkeypatch, files_written):
        from labels.services import applications as label_services

        def broken_append(*args, **kwargs):
            raise RuntimeError("database went away")

        monkeypatch.setattr(label_services, "_event_append", broken_append)
        with pytest.raises(RuntimeError):
            applied(scheme, applicant, evidence=[SimpleUploadedFile("loom.jpg", jpeg_bytes())])
        assert not LabelApplication.objects.exists() and files_written() == []

    def test_too_many_files_are_refused(self, scheme, applicant):
        evidence = [SimpleUploadedFile(f"photo-{n}.jpg", jpeg_bytes()) for n in range(11)]
        with pytest.raises(ValidationError, match="10 files at most"):
            applied(scheme, applicant, evidence=evidence)


class TestInspection:
    def test_records_a_verdict_and_notes_per_criterion_with_photos(self, applicant, inspector):
        scheme = scheme_create(criteria=("Made by hand", "Natural dyes"))
        application = assigned(scheme, applicant, inspector)
        first, second = scheme.criteria.all()
        inspection = label_inspection_record(
            application=application, by=inspector, visit_date=timezone.localdate(),
            verdicts={first.pk: ("met", "Seen at the loom."), second.pk: ("not_applicable", "")}, notes="Visit went well.",
            photos=[SimpleUploadedFile("workshop.png", jpeg_bytes())],
        )
        assert [(v.criterion_text, v.verdict, v.notes) for v in inspection.verdicts.all()] == [
            ("Made by hand", "met", "Seen at the loom."), ("Natural dyes", "not_applicable", "")]
        assert inspection.evidence.get().inspection == inspection
        assert application.events.order_by("position").last().action == "inspected"

    def test_every_criterion_needs_a_verdict(self, applicant, inspector):
        scheme = scheme_create(criteria=("Made by hand", "Natural dyes"))
        application = assigned(scheme, applicant, inspector)
        first = scheme.criteria.first()
        with pytest.raises(ValidationError, match="Natural dyes"):
            label_inspection_record(application=application, by=inspector, visit_date=timezone.localdate(),
                                    verdicts={first.pk: ("met", "")})
        assert not LabelInspection.objects.exists()

    @pytest.mark.parametrize("days", [1, -30])
    def test_a_visit_in_the_future_or_before_the_application_is_refused(self, scheme, applicant, inspector, days):
        application = assigned(scheme, applicant, inspector)
        verdicts = {criterion.pk: ("met", "") for criterion in scheme.criteria.all()}
        with pytest.raises(ValidationError) as error:
            label_inspection_record(application=application, by=inspector,
                                    visit_date=timezone.localdate() + timedelta(days=days), verdicts=verdicts)
        assert "visit_date" in error.value.message_dict

    def test_inspection_photos_must_be_photos(self, scheme, applicant, inspector, files_written):
        application = assigned(scheme, applicant, inspector)
        verdicts = {criterion.pk: ("met", "") for criterion in scheme.criteria.all()}
        with pytest.raises(ValidationError, match="not a JPEG or PNG photo"):
            label_inspection_record(application=application, by=inspector, visit_date=timezone.localdate(),
                                    verdicts=verdicts, photos=[SimpleUploadedFile("report.pdf", PDF)])
        assert not LabelInspection.objects.exists() and files_written() == []

    def test_only_the_assigned_inspector_inspects_an_assigned_application(self, scheme, applicant, inspector,
                                                                         second_inspector):
        application = applied(scheme, applicant)
        with pytest.raises(PermissionDenied):
            label_inspection_record(application=application, by=inspector, visit_date=timezone.localdate(),
                                    verdicts={c.pk: ("met", "") for c in scheme.criteria.all()})
        label_assign(application=application, inspector=inspector, by=inspector)
        with pytest.raises(PermissionDenied):
            inspected(application, second_inspector)

    def test_an_inspector_who_belonged_to_the_seller_when_it_applied_cannot_inspect(self, scheme, applicant, inspector):
        application = assigned(scheme, applicant, inspector)
        member_since(seller=application.seller, user=inspector, joined_at=application.submitted_at - timedelta(days=1))
        with pytest.raises(PermissionDenied):
            inspected(application, inspector)


class TestApprovalRules:
    def test_approval_needs_an_inspection(self, scheme, applicant, inspector):
        application = assigned(scheme, applicant, inspector)
        with pytest.raises(ValidationError, match="Record the inspection"):
            label_decide(application=application, by=inspector, approve=True)
        assert not LabelCertificate.objects.exists()

    def test_a_required_criterion_not_met_blocks_approval_but_not_rejection(self, scheme, applicant, inspector):
        application = assigned(scheme, applicant, inspector)
        inspected(application, inspector, verdict="not_met")
        with pytest.raises(ValidationError, match="required criterion not met"):
            label_decide(application=application, by=inspector, approve=True)
        label_decide(application=application, by=inspector, approve=False, reason="Machine-woven.")
        application.refresh_from_db()
        assert application.status == LabelApplication.Status.REJECTED

    def test_a_new_visit_that_finds_the_criteria_met_allows_approval(self, scheme, applicant, inspector):
        application = assigned(scheme, applicant, inspector)
        inspected(application, inspector, verdict="not_met")
        approved(application, inspector)
        assert application.certificate.status == LabelCertificate.Status.ACTIVE

    def test_an_optional_criterion_not_met_does_not_block(self, applicant, inspector):
        scheme = scheme_create(criteria=("Made by hand", "Sold with a care leaflet"))
        scheme.criteria.filter(text__startswith="Sold").update(required=False)
        application = assigned(scheme, applicant, inspector)
        first, second = scheme.criteria.all()
        label_inspection_record(application=application, by=inspector, visit_date=timezone.localdate(),
                                verdicts={first.pk: ("met", ""), second.pk: ("not_met", "")})
        label_decide(application=application, by=inspector, approve=True)
        assert LabelCertificate.objects.filter(application=application).exists()

    def test_a_scheme_with_levels_needs_one_awarded_and_shows_it_publicly(self, client, applicant, inspector):
        scheme = scheme_create(levels=("Bronze", "Gold"))
        application = assigned(scheme, applicant, inspector)
        inspected(application, inspector)
        for level in ("", "Platinum"):
            with pytest.raises(ValidationError, match="level"):
                label_decide(application=application, by=inspector, approve=True, level=level)
        label_decide(application=application, by=inspector, approve=True, level="Gold")
        certificate = LabelCertificate.objects.get(application=application)
        record = client.get(f"/verify/{certificate.number}.json").json()
        assert certificate.level == "Gold" and record["level"] == "Gold"


class TestRenewal:
    def test_renewal_is_a_new_application_naming_the_certificate(self, client, certificate, applicant, inspector):
        renewal = assigned(certificate.scheme, applicant, inspector, renews=certificate)
        approved(renewal, inspector)
        new = LabelCertificate.objects.get(application=renewal)
        assert new.number != certificate.number and new.status == LabelCertificate.Status.ACTIVE
        history = client.get(f"/verify/{new.number}.json").json()["history"]
        assert history[0]["renews"] == certificate.number and history[-1]["renews"] == certificate.number

    def test_only_the_sellers_own_certificate_of_that_scheme_is_renewed(self, certificate, applicant):
        other_scheme = scheme_create(code="TZN", name="Taznakht rug")
        with pytest.raises(ValidationError) as error:
            applied(other_scheme, applicant, renews=certificate)
        assert "renews" in error.value.message_dict
