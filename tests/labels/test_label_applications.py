"""Label applications: who may apply, assign and decide; certificates; the tamper-evident history."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from labels.models import LabelApplication, LabelCertificate, LabelEvent
from labels.services import (
    label_apply,
    label_assign,
    label_certificate_reinstate,
    label_certificate_revocation_confirm,
    label_certificate_revocation_request,
    label_certificate_suspend,
    label_chain_first_broken_event,
    label_decide,
    label_inspectors_group,
)
from labels.tasks import label_certificates_daily
from sellers.models import SellerMember
from sellers.roles import LEAD_INSPECTORS_GROUP
from sellers.services import seller_member_remove
from tests.factories.catalog import product_create, seller_pages
from tests.factories.labels import applied, approved, inspected
from tests.factories.sellers import SellerFactory, UserFactory, member_since

pytestmark = pytest.mark.django_db



class TestApply:
    def test_a_member_applies_for_its_own_products(self, scheme, applicant):
        application = applied(scheme, applicant)
        assert application.status == LabelApplication.Status.SUBMITTED
        assert [event.action for event in application.events.all()] == ["applied"]

    def test_an_outsider_cannot_apply(self, scheme, applicant):
        _user, seller, product = applicant
        with pytest.raises(PermissionDenied):
            label_apply(seller=seller, scheme=scheme, products=[product], by=UserFactory())

    def test_another_sellers_product_is_refused(self, scheme, applicant, tree):
        user, seller, _product = applicant
        other = product_create(seller_pages(tree, SellerFactory()), title="Other rug")
        with pytest.raises(ValidationError):
            label_apply(seller=seller, scheme=scheme, products=[other], by=user)


def before(application):
    return application.submitted_at - timedelta(days=30)


def lead_create(username="lead"):
    lead = UserFactory(username=username)
    lead.groups.add(label_inspectors_group(), Group.objects.get_or_create(name=LEAD_INSPECTORS_GROUP)[0])
    return lead


class TestConflictOfInterest:
    """Judged on the membership as of the application's date, so a seller cannot make inspectors
    conflicted by adding them, and removing a member afterwards does not clear a conflict."""

    def test_an_inspector_who_belonged_to_the_seller_when_it_applied_is_never_assigned(self, scheme, applicant, inspector):
        application = applied(scheme, applicant)
        member_since(seller=application.seller, user=inspector, joined_at=before(application))
        with pytest.raises(PermissionDenied, match="belonged to the applying seller"):
            label_assign(application=application, inspector=inspector, by=inspector)
        with pytest.raises(PermissionDenied):
            label_assign(application=application, inspector=inspector, by=lead_create())

    def test_a_membership_that_began_after_the_application_does_not_block_the_inspector(self, scheme, applicant,
                                                                                       inspector):
        application = label_assign(application=applied(scheme, applicant), inspector=inspector, by=inspector)
        SellerMember.objects.create(seller=application.seller, user=inspector)
        approved(application, inspector)
        assert LabelCertificate.objects.filter(application=application).exists()

    def test_removing_the_member_afterwards_does_not_clear_the_conflict(self, scheme, applicant, inspector):
        application = applied(scheme, applicant)
        membership = member_since(seller=application.seller, user=inspector, joined_at=before(application))
        seller_member_remove(member=membership, by=applicant[0])
        with pytest.raises(PermissionDenied, match="belonged to the applying seller"):
            label_assign(application=application, inspector=inspector, by=inspector)

    def test_an_inspector_the_seller_added_after_applying_still_suspends_and_revokes_its_certificate(
        self, certificate, inspector
    ):
        SellerMember.objects.create(seller=certificate.seller, user=inspector, role=SellerMember.Role.MANAGER)
        second = UserFactory(username="inspector-2")
        second.groups.add(label_inspectors_group())
        SellerMember.objects.create(seller=certificate.seller, user=second)

        label_certificate_suspend(certificate=certificate, by=inspector, reason="Machine-made goods found.")
        label_certificate_revocation_request(certificate=certificate, by=inspector, reason="Fraud.")
        label_certificate_revocation_confirm(certificate=certificate, by=second)
        certificate.refresh_from_db()
        assert certificate.status == LabelCertificate.Status.REVOKED

    def test_a_lead_acts_when_every_inspector_is_conflicted_and_the_history_says_so(self, scheme, applicant, inspector):
        application = applied(scheme, applicant)
        lead = lead_create()
        for user in (inspector, lead):
            member_since(seller=application.seller, user=user, joined_at=before(application))

        with pytest.raises(PermissionDenied):
            label_assign(application=application, inspector=inspector, by=inspector)
        label_assign(application=application, inspector=lead, by=lead)
        approved(application, lead)
        assert application.events.get(action="assigned").private_data["conflict_override"] is True
        assert application.events.get(action="approved").private_data["conflict_override"] is True
        assert label_chain_first_broken_event(application) is None

    def test_a_lead_does_not_override_while_an_inspector_is_free(self, scheme, applicant, inspector):
        application = applied(scheme, applicant)
        lead = lead_create()
        member_since(seller=application.seller, user=lead, joined_at=before(application))
        with pytest.raises(PermissionDenied):
            label_assign(application=application, inspector=lead, by=lead)

    def test_only_a_lead_inspector_assigns_to_someone_else(self, scheme, applicant, inspector):
        colleague = UserFactory(username="inspector-2")
        colleague.groups.add(label_inspectors_group())
        with pytest.raises(PermissionDenied):
            label_assign(application=applied(scheme, applicant), inspector=colleague, by=inspector)


class TestTakeOver:
    """Only a lead reassigns a taken application, with a reason in the history; the decision is made
    by the inspector who recorded the latest visit."""

    def test_an_inspector_cannot_take_an_application_a_lead_assigned_to_himself(self, scheme, applicant, inspector):
        lead = lead_create()
        application = label_assign(application=applied(scheme, applicant), inspector=lead, by=lead)
        inspected(application, lead)

        with pytest.raises(PermissionDenied, match="only a lead inspector reassigns"):
            label_assign(application=application, inspector=inspector, by=inspector)
        application.refresh_from_db()
        assert application.inspector == lead
        with pytest.raises(PermissionDenied):
            label_decide(application=application, by=inspector, approve=True)
        assert not LabelCertificate.objects.exists()

    def test_an_inspector_cannot_take_a_colleagues_application_either(self, scheme, applicant, inspector,
                                                                      second_inspector):
        application = label_assign(application=applied(scheme, applicant), inspector=inspector, by=inspector)
        with pytest.raises(PermissionDenied):
            label_assign(application=application, inspector=second_inspector, by=second_inspector)

    def test_a_lead_reassigns_only_with_a_reason_kept_in_the_history(self, scheme, applicant, inspector,
                                                                      second_inspector):
        lead = lead_create()
        application = label_assign(application=applied(scheme, applicant), inspector=inspector, by=inspector)
        with pytest.raises(ValidationError, match="reason"):
            label_assign(application=application, inspector=second_inspector, by=lead)

        label_assign(application=application, inspector=second_inspector, by=lead, reason="Inspector on leave.")
        event = application.events.order_by("-position").first()
        assert event.action == "reassigned" and event.actor == lead
        assert event.private_data == {"inspector": second_inspector.pk, "previous_inspector": inspector.pk,
                                      "reason": "Inspector on leave."}
        assert label_chain_first_broken_event(application) is None

    def test_after_a_reassignment_the_new_inspector_decides_only_on_their_own_visit(self, scheme, applicant, inspector,
                                                                                   second_inspector):
        lead = lead_create()
        application = label_assign(application=applied(scheme, applicant), inspector=inspector, by=inspector)
        inspected(application, inspector)
        label_assign(application=application, inspector=second_inspector, by=lead, reason="Inspector on leave.")

        for approve in (True, False):
            with pytest.raises(PermissionDenied, match="latest visit"):
                label_decide(application=application, by=second_inspector, approve=approve, reason="No.")
        approved(application, second_inspector)
        assert LabelCertificate.objects.filter(application=application).exists()


class TestDecide:
    def test_approval_issues_a_numbered_certificate_valid_for_the_schemes_period(self, scheme, applicant, inspector):
        application = label_assign(application=applied(scheme, applicant), inspector=inspector, by=inspector)
        approved(application, inspector)
        certificate = LabelCertificate.objects.get()
        year = certificate.valid_from.year
        assert certificate.number == f"MA-LNA-{year}-000001"
        assert (certificate.valid_until.year - year) * 12 + certificate.valid_until.month - certificate.valid_from.month == 36
        assert list(certificate.products.all()) == [applicant[2]]

    def test_numbers_follow_each_other(self, scheme, applicant, inspector):
        for _ in range(2):
            application = label_assign(application=applied(scheme, applicant), inspector=inspector, by=inspector)
            approved(application, inspector)
        assert sorted(LabelCertificate.objects.values_list("number", flat=True))[-1].endswith("-000002")

    def test_only_the_assigned_inspector_decides(self, scheme, applicant, inspector):
        application = label_assign(application=applied(scheme, applicant), inspector=inspector, by=inspector)
        other = UserFactory(username="inspector-2")
        with pytest.raises(PermissionDenied):
            label_decide(application=application, by=other, approve=True)

    def test_a_rejection_needs_a_reason_and_an_unassigned_application_cannot_be_decided(self, scheme, applicant, inspector):
        application = applied(scheme, applicant)
        with pytest.raises(PermissionDenied):
            label_decide(application=application, by=inspector, approve=True)
        application = label_assign(application=application, inspector=inspector, by=inspector)
        with pytest.raises(ValidationError):
            label_decide(application=application, by=inspector, approve=False, reason=" ")
        label_decide(application=application, by=inspector, approve=False, reason="Machine-made knots.")
        with pytest.raises(ValidationError):
            label_decide(application=application, by=inspector, approve=True)


class TestTamperEvidentHistory:
    def decided(self, scheme, applicant, inspector):
        application = label_assign(application=applied(scheme, applicant), inspector=inspector, by=inspector)
        return approved(application, inspector)

    def test_an_untouched_history_is_intact(self, scheme, applicant, inspector):
        application = self.decided(scheme, applicant, inspector)
        assert [event.action for event in application.events.all()] == ["applied", "assigned", "inspected", "approved"]
        assert label_chain_first_broken_event(application) is None

    def test_a_row_altered_in_the_database_is_found_at_that_event(self, scheme, applicant, inspector):
        application = self.decided(scheme, applicant, inspector)
        assigned = application.events.get(action="assigned")
        LabelEvent.objects.filter(pk=assigned.pk).update(private_data={"inspector": 999})
        assert label_chain_first_broken_event(application) == assigned

    def test_a_removed_event_breaks_the_chain_at_the_next(self, scheme, applicant, inspector):
        application = self.decided(scheme, applicant, inspector)
        LabelEvent.objects.filter(application=application, action="assigned")._raw_delete("default")
        broken = label_chain_first_broken_event(application)
        assert broken is not None and broken.action == "inspected"

    def test_a_removed_last_event_is_noticed_too(self, scheme, applicant, inspector):
        application = self.decided(scheme, applicant, inspector)
        LabelEvent.objects.filter(application=application, action="approved")._raw_delete("default")
        broken = label_chain_first_broken_event(application)
        assert broken is not None and broken.pk is None and (broken.position, broken.action) == (3, "missing")

    def test_events_cannot_be_changed_or_deleted_through_the_model(self, scheme, applicant, inspector):
        event = self.decided(scheme, applicant, inspector).events.first()
        with pytest.raises(ValueError):
            event.save()
        with pytest.raises(ValueError):
            event.delete()


class TestVerifyLabelChainCommand:
    def test_reports_intact_histories_and_names_the_first_broken_event(self, scheme, applicant, inspector, capsys):
        application = label_assign(application=applied(scheme, applicant), inspector=inspector, by=inspector)
        call_command("verify_label_chain")
        assert "All 1 label histories are intact." in capsys.readouterr().out

        first = application.events.get(action="applied")
        LabelEvent.objects.filter(pk=first.pk).update(public_data={"scheme": "XXX", "products": 1})
        with pytest.raises(CommandError, match="1 of 1"):
            call_command("verify_label_chain")
        assert "event #0 “applied”" in capsys.readouterr().err



class TestCertificateLifecycle:
    def test_suspension_needs_a_reason_and_can_be_lifted(self, certificate, inspector):
        with pytest.raises(ValidationError):
            label_certificate_suspend(certificate=certificate, by=inspector, reason="")
        certificate = label_certificate_suspend(certificate=certificate, by=inspector, reason="Wool not as declared.")
        assert certificate.status == LabelCertificate.Status.SUSPENDED
        with pytest.raises(ValidationError):
            label_certificate_suspend(certificate=certificate, by=inspector, reason="again")
        assert label_certificate_reinstate(certificate=certificate, by=inspector).status == LabelCertificate.Status.ACTIVE

    def test_revocation_takes_a_second_inspector(self, certificate, inspector, second_inspector):
        label_certificate_revocation_request(certificate=certificate, by=inspector, reason="Counterfeit labels found.")
        with pytest.raises(PermissionDenied, match="second inspector"):
            label_certificate_revocation_confirm(certificate=certificate, by=inspector)
        certificate.refresh_from_db()
        assert certificate.status == LabelCertificate.Status.ACTIVE
        certificate = label_certificate_revocation_confirm(certificate=certificate, by=second_inspector)
        assert certificate.status == LabelCertificate.Status.REVOKED
        with pytest.raises(ValidationError):
            label_certificate_reinstate(certificate=certificate, by=inspector)
        actions = list(certificate.application.events.values_list("action", flat=True))
        assert actions[-2:] == ["revocation_requested", "revoked"]
        assert label_chain_first_broken_event(certificate.application) is None

    def test_a_revocation_cannot_be_confirmed_without_a_request(self, certificate, second_inspector):
        with pytest.raises(ValidationError):
            label_certificate_revocation_confirm(certificate=certificate, by=second_inspector)

    def test_nobody_outside_the_inspectors_acts_on_certificates(self, certificate, applicant):
        seller_member = applicant[0]
        with pytest.raises(PermissionDenied):
            label_certificate_suspend(certificate=certificate, by=seller_member, reason="x")
        member_inspector = UserFactory(username="inspector-member")
        member_inspector.groups.add(label_inspectors_group())
        member_since(seller=certificate.seller, user=member_inspector, joined_at=before(certificate.application))
        with pytest.raises(PermissionDenied):
            label_certificate_revocation_request(certificate=certificate, by=member_inspector, reason="x")


class TestDailyTask:
    def test_expires_due_certificates_and_reminds_sellers_30_days_ahead(self, certificate, scheme, applicant, inspector):
        today = timezone.localdate()
        LabelCertificate.objects.filter(pk=certificate.pk).update(valid_until=today - timedelta(days=1))
        application = label_assign(application=applied(scheme, applicant), inspector=inspector, by=inspector)
        approved(application, inspector)
        expiring = LabelCertificate.objects.get(application=application)
        LabelCertificate.objects.filter(pk=expiring.pk).update(valid_until=today + timedelta(days=30))

        assert label_certificates_daily.delay().get() == {"expired": 1, "reminded": 1}

        certificate.refresh_from_db()
        assert certificate.status == LabelCertificate.Status.EXPIRED
        assert certificate.application.events.last().action == "expired"
        assert mail.outbox[0].to == [applicant[1].email] and expiring.number in mail.outbox[0].subject
        assert label_certificates_daily.delay().get() == {"expired": 0, "reminded": 1}

    def test_is_scheduled_daily(self, settings):
        assert settings.CELERY_BEAT_SCHEDULE["label-certificates-daily"]["task"] == "labels.tasks.label_certificates_daily"


class TestPublicVerification:
    def test_the_page_shows_the_certificate_and_its_public_history(self, client, certificate, inspector):
        label_certificate_suspend(certificate=certificate, by=inspector, reason="Wool not as declared.")
        html = client.get(f"/verify/{certificate.number}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert certificate.number in html and "suspended" in html and "Wool not as declared." in html
        assert "National label" in html and certificate.seller.legal_name in html
        assert "history of this certificate is intact" in html

    def test_the_json_holds_no_private_field(self, client, certificate, inspector, second_inspector):
        label_certificate_revocation_request(certificate=certificate, by=inspector, reason="Private suspicion.")
        response = client.get(f"/verify/{certificate.number}.json")
        assert response.status_code == 200
        record = response.json()
        assert record["status"] == "active" and record["history_intact"] is True
        text = response.content.decode()
        for secret in ("Private suspicion.", "Private visit notes.", "Private criterion note.", "inspector", "private",
                       str(inspector.pk) + ","):
            assert secret not in text
        assert [entry["action"] for entry in record["history"]] == ["applied", "inspected", "approved"]

    def test_a_revoked_certificate_says_so(self, client, certificate, inspector, second_inspector):
        label_certificate_revocation_request(certificate=certificate, by=inspector, reason="Counterfeit tags.")
        label_certificate_revocation_confirm(certificate=certificate, by=second_inspector)
        record = client.get(f"/verify/{certificate.number}.json").json()
        assert record["status"] == "revoked" and record["status_reason"] == "Counterfeit tags."
        assert record["history"][-1]["action"] == "revoked"

    def test_an_altered_history_is_flagged(self, client, certificate):
        first = certificate.application.events.first()
        LabelEvent.objects.filter(pk=first.pk).update(public_data={"scheme": "ARG", "products": 1})
        assert client.get(f"/verify/{certificate.number}.json").json()["history_intact"] is False
        assert "has been altered" in client.get(f"/verify/{certificate.number}/").content.decode()

    @pytest.mark.parametrize("number", ["MA-LNA-2026-999999", "not-a-number", "MA-LNA-2026-1", "<script>"])
    def test_unknown_or_malformed_numbers_get_a_helpful_404(self, client, number):
        response = client.get(f"/verify/{number}/")
        assert response.status_code == 404
        assert "A certificate number looks like" in response.content.decode()
        assert client.get(f"/verify/{number}.json").status_code == 404
