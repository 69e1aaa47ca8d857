"""Notices about products: anyone reports (hostile input never a 5xx, nothing half-saved), the chamber's
queue (deadlines, decisions, audit log), the reporter told the outcome in the report's language, and
the queue closed to every role but chamber staff."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from wagtail.models import ModelLogEntry

from catalog.models import ProductPage
from notices.models import Notice, NoticeSettings
from notices.services import notice_decide, notice_groups_ensure, notice_review_start, notice_submit
from sellers.roles import CHAMBER_STAFF_GROUP
from sellers.services import seller_verify
from tests.factories.catalog import product_create, seller_pages
from tests.factories.labels import inspector_create
from tests.factories.sellers import SellerFactory, SellerMemberFactory, UserFactory

pytestmark = pytest.mark.django_db

VALID = {"reason": "unsafe", "description": "The glaze flakes off into food.", "reporter_email": "ana@example.org",
         "confirm": "on"}


@pytest.fixture
def product(tree):
    return product_create(seller_pages(tree, SellerFactory()), title="Tagine")


@pytest.fixture
def staff(db):
    notice_groups_ensure()
    user = UserFactory(username="chamber-staff")
    user.groups.add(Group.objects.get(name=CHAMBER_STAFF_GROUP))
    return user


def report_url(product_id, language="en"):
    return f"/{language}/products/{product_id}/report/"


def _notice(product, **overrides):
    return notice_submit(product=product, **{"reason": "unsafe", "description": "Sharp edges.", "reporter_email": "",
                                             "language": "en", **overrides})


class TestReportForm:
    def test_anyone_can_open_the_form_from_the_product_page(self, client, product):
        response = client.get(report_url(product.pk))
        assert response.status_code == 200
        html = response.content.decode()
        assert "csrfmiddlewaretoken" in html and "It is counterfeit" in html
        assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]

    def test_a_report_is_recorded_with_its_deadline_and_language_and_logged(self, client, product):
        settings = NoticeSettings.load()
        settings.deadline_days = 5
        settings.save()
        before = timezone.now()
        response = client.post(report_url(product.pk, "fr"), VALID)
        with translation.override("fr"):
            received = translation.gettext("Report received")
        assert response.status_code == 200 and received in response.content.decode()
        notice = Notice.objects.get()
        assert notice.product == product and notice.language == "fr" and notice.status == Notice.Status.RECEIVED
        assert before + timedelta(days=5) <= notice.deadline <= timezone.now() + timedelta(days=5)
        assert ModelLogEntry.objects.filter(action="notices.receive", object_id=str(notice.pk)).exists()

    def test_the_anonymous_reporter_may_leave_the_email_empty(self, client, product):
        client.post(report_url(product.pk), {**VALID, "reporter_email": ""})
        assert Notice.objects.get().reporter_email == ""

    @pytest.mark.parametrize("product_id", ["abc", "0", "-1", "99999999999999999999", "1%00", "9999"])
    def test_a_bad_product_id_is_not_found(self, client, product, product_id):
        assert client.get(report_url(product_id)).status_code == 404
        assert client.post(report_url(product_id), VALID).status_code == 404
        assert not Notice.objects.exists()

    def test_an_unpublished_product_cannot_be_reported(self, client, product):
        for page in ProductPage.objects.filter(product=product):
            page.unpublish()
        assert client.get(report_url(product.pk)).status_code == 404

    @pytest.mark.parametrize("change", [
        {"reason": "nonsense"}, {"reason": ""}, {"description": ""}, {"description": "x" * 5001},
        {"description": "   "}, {"reporter_email": "not-an-email"}, {"reporter_email": "a@" + "b" * 300 + ".org"},
        {"confirm": ""}, {"reason": "UNSAFE"}, {"description": "\x00nul"},
    ])
    def test_hostile_input_is_refused_with_a_message_and_saves_nothing(self, client, product, change):
        data = {key: value for key, value in {**VALID, **change}.items() if value != ""}
        response = client.post(report_url(product.pk), data)
        assert response.status_code == 200
        assert "error" in response.content.decode().lower()
        assert not Notice.objects.exists()

    def test_the_contact_point_page_is_public_and_linked_in_the_footer(self, client, product):
        settings = NoticeSettings.load()
        settings.contact_name, settings.contact_email = "Marketplace compliance office", "dsa@chamber.example"
        settings.save()
        response = client.get(reverse("contact_point"))
        assert response.status_code == 200
        html = response.content.decode()
        assert "Marketplace compliance office" in html and "dsa@chamber.example" in html
        page = ProductPage.objects.get(product=product, locale__language_code="en")
        assert reverse("contact_point") in client.get(page.url).content.decode()


class TestDecisions:
    def test_staff_take_up_then_decide_and_the_reporter_is_told_in_the_reports_language(
            self, product, staff, django_capture_on_commit_callbacks):
        notice = _notice(product, reporter_email="ana@example.org", language="fr")
        notice_review_start(notice=notice, by=staff)
        with django_capture_on_commit_callbacks(execute=True):
            notice = notice_decide(notice=notice, by=staff, status=Notice.Status.NO_ACTION,
                                   outcome_note="The glaze meets the food-contact limits.")
        assert notice.status == Notice.Status.NO_ACTION and notice.decided_by == staff and notice.decided_at
        [email] = mail.outbox
        assert email.to == ["ana@example.org"]
        with translation.override("fr"):  # written in French: the date reads as the French write it
            received_in_french = date_format(timezone.localtime(notice.received_at), "DATE_FORMAT")
        assert received_in_french in email.body
        assert "The glaze meets the food-contact limits." in email.body
        actions = list(ModelLogEntry.objects.filter(object_id=str(notice.pk)).order_by("timestamp")
                       .values_list("action", flat=True))
        assert actions == ["notices.receive", "notices.review", "notices.decide"]

    def test_no_email_without_an_address(self, product, staff, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            notice_decide(notice=_notice(product), by=staff, status=Notice.Status.NO_ACTION, outcome_note="Fine.")
        assert mail.outbox == []

    def test_taking_action_may_unpublish_every_page_of_the_product(self, product, staff):
        notice = notice_decide(notice=_notice(product), by=staff, status=Notice.Status.ACTION_TAKEN,
                               outcome_note="Counterfeit of a registered design.", unpublish=True)
        assert notice.pages_unpublished == 3
        assert not ProductPage.objects.filter(product=product, live=True).exists()

    @pytest.mark.parametrize("status", ["received", "under_review", "bogus"])
    def test_only_a_decision_decides(self, product, staff, status):
        with pytest.raises(ValidationError):
            notice_decide(notice=_notice(product), by=staff, status=status, outcome_note="x")

    def test_a_decided_notice_is_final_and_needs_reasons(self, product, staff):
        notice = _notice(product)
        with pytest.raises(ValidationError):
            notice_decide(notice=notice, by=staff, status=Notice.Status.NO_ACTION, outcome_note="  ")
        with pytest.raises(ValidationError):
            notice_decide(notice=notice, by=staff, status=Notice.Status.NO_ACTION, outcome_note="x", unpublish=True)
        notice_decide(notice=notice, by=staff, status=Notice.Status.NO_ACTION, outcome_note="Fine.")
        for attempt in (lambda: notice_review_start(notice=notice, by=staff),
                        lambda: notice_decide(notice=notice, by=staff, status=Notice.Status.ACTION_TAKEN,
                                              outcome_note="Changed my mind.")):
            with pytest.raises(ValidationError):
                attempt()
        assert Notice.objects.get().status == Notice.Status.NO_ACTION

    def test_an_open_notice_past_its_deadline_is_overdue(self, product):
        notice = _notice(product, now=timezone.now() - timedelta(days=30))
        assert notice.is_overdue
        notice.status = Notice.Status.NO_ACTION
        assert not notice.is_overdue

    def test_staff_decide_through_the_admin_form(self, client, product, staff):
        notice = _notice(product)
        client.force_login(staff)
        response = client.post(reverse("notices:decide", args=[notice.pk]), {"status": "bogus", "outcome_note": ""})
        assert response.status_code == 200 and Notice.objects.get().status == Notice.Status.RECEIVED
        response = client.post(reverse("notices:decide", args=[notice.pk]),
                               {"status": "action_taken", "outcome_note": "Withdrawn.", "unpublish": "on"})
        assert response.status_code == 302
        assert Notice.objects.get().status == Notice.Status.ACTION_TAKEN
        assert "Withdrawn." in client.get(reverse("notices:inspect", args=[notice.pk])).content.decode()


ROLES = ("anonymous", "buyer", "seller member", "other seller", "chamber staff", "inspector")


@pytest.fixture
def role_users(tree, staff, product):
    seller = product.seller
    member = SellerMemberFactory(seller=seller).user
    other_seller = SellerFactory(status="pending")
    other = SellerMemberFactory(seller=other_seller).user
    seller_verify(seller=other_seller, by=staff)  # its members get the sellers' workspace (admin access)
    return {"anonymous": None, "buyer": UserFactory(username="buyer"), "seller member": member,
            "other seller": other, "chamber staff": staff, "inspector": inspector_create("inspector")}


class TestPermissionMatrix:
    """The queue's URLs for every role: only chamber staff get in; nobody else sees a notice."""

    @pytest.mark.parametrize("role", ROLES)
    def test_the_queue_is_for_chamber_staff_only(self, client, product, role_users, role):
        notice = _notice(product, description="Secret description of the notice")
        user = role_users[role]
        if user is not None:
            client.force_login(user)
        allowed = role == "chamber staff"
        for name, args in (("notices:index", ()), ("notices:inspect", (notice.pk,)), ("notices:decide", (notice.pk,))):
            response = client.get(reverse(name, args=args))
            if allowed:
                assert response.status_code == 200, name
            else:
                assert response.status_code in (302, 403), (name, response.status_code)
                assert b"Secret description" not in response.content
        response = client.post(reverse("notices:review", args=[notice.pk]))
        assert response.status_code == 302
        expected = Notice.Status.UNDER_REVIEW if allowed else Notice.Status.RECEIVED
        assert Notice.objects.get().status == expected
        response = client.post(reverse("notices:decide", args=[notice.pk]),
                               {"status": "action_taken", "outcome_note": "Done.", "unpublish": "on"})
        assert (Notice.objects.get().status == Notice.Status.ACTION_TAKEN) is allowed
        assert ProductPage.objects.filter(product=product, live=True).exists() is not allowed

    @pytest.mark.parametrize("role", ROLES)
    def test_the_report_form_and_contact_point_are_open_to_everyone(self, client, product, role_users, role):
        user = role_users[role]
        if user is not None:
            client.force_login(user)
        assert client.get(report_url(product.pk)).status_code == 200
        assert client.get(reverse("contact_point")).status_code == 200
