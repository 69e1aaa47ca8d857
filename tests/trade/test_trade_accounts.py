"""Trade accounts: applying, the chamber's decisions (every transition allowed and refused), the VAT
check after the commit, and who reaches which page."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings
from django.urls import reverse
from wagtail.models import ModelLogEntry

from marketplace.trade.models import TradeCompany, TradeDocument, TradeMember
from marketplace.trade.selectors import trade_buyer_of
from marketplace.trade.services import TRANSITIONS
from marketplace.trade.services import trade_company_apply as _apply
from marketplace.trade.services import trade_company_decide as _decide
from sellers.roles import CHAMBER_STAFF_GROUP, INSPECTORS_GROUP, role_group
from tests.factories.sellers import SellerMemberFactory, UserFactory
from tests.factories.trade import TradeCompanyFactory, trade_buyer_create
from tests.trade.vies_standin import ViesStandIn

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def trade_company_apply(**fields):
    """Apply, and run what waits for the commit (the VAT check, the emails)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return _apply(**fields)


def trade_company_decide(**fields):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return _decide(**fields)


def pdf(name="kvk-extract.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def application(**overrides):
    fields = {"legal_name": "Studio Noord Interieur B.V.", "country": "NL", "register_number": "81234567",
              "vat_number": "NL004495445B01", "eori_number": "NL004495445", "website": "https://studio-noord.example",
              "language": "en", "documents": [pdf()]}
    return {**fields, **overrides}


def staff_user():
    user = UserFactory(email="staff@chamber.example")
    user.groups.add(role_group(CHAMBER_STAFF_GROUP))
    return user


class TestApplying:
    def test_the_applicant_becomes_the_manager_of_a_pending_company_and_staff_are_told(self):
        staff_user()
        user = UserFactory()
        company = trade_company_apply(user=user, **application())
        assert company.status == TradeCompany.Status.PENDING
        assert TradeMember.objects.get(user=user).role == TradeMember.Role.MANAGER
        assert TradeDocument.objects.get(company=company).content_type == "application/pdf"
        assert company.vat_number == "NL004495445B01"
        company.refresh_from_db()
        assert company.vat_valid is True and company.vat_check_source == "format"  # checked after the commit
        assert [message.to for message in mail.outbox] == [["staff@chamber.example"]]
        assert trade_buyer_of(user) is None  # retail prices until verified

    @pytest.mark.parametrize(("overrides", "field"), [
        ({"legal_name": ""}, "legal_name"),
        ({"register_number": ""}, "register_number"),
        ({"vat_number": "NL004495445B0"}, "vat_number"),
        ({"vat_number": "DE136695976"}, "vat_number"),
        ({"eori_number": "12345"}, "eori_number"),
        ({"website": "javascript:alert(1)"}, "website"),
        ({"documents": []}, "documents"),
        ({"documents": [SimpleUploadedFile("setup.pdf", b"MZ\x90\x00 windows program")]}, "documents"),
        ({"documents": [pdf(f"{n}.pdf") for n in range(6)]}, "documents"),
    ])
    def test_bad_input_is_refused_field_by_field_and_nothing_is_saved(self, overrides, field):
        user = UserFactory()
        with pytest.raises(ValidationError) as raised:
            trade_company_apply(user=user, **application(**overrides))
        assert field in raised.value.message_dict
        assert not TradeCompany.objects.exists() and not TradeMember.objects.exists()
        assert not TradeDocument.objects.exists()

    def test_one_user_buys_for_one_company(self):
        user = UserFactory()
        trade_company_apply(user=user, **application())
        with pytest.raises(ValidationError) as raised:
            trade_company_apply(user=user, **application(legal_name="Other B.V."))
        assert raised.value.code == "member"
        assert TradeCompany.objects.count() == 1

    def test_chamber_staff_cannot_hold_a_trade_account(self):
        with pytest.raises(ValidationError):
            trade_company_apply(user=staff_user(), **application())

    def test_vies_records_the_registered_name_and_a_down_service_leaves_it_unchecked(self):
        with ViesStandIn(registered={"NL004495445B01": "STUDIO NOORD INTERIEUR B.V."}) as vies, \
                override_settings(TRADE_VAT_CHECKER={"BACKEND": "marketplace.trade.vat.ViesVatChecker",
                                                     "OPTIONS": {"url": vies.url, "timeout": 5}}):
            company = trade_company_apply(user=UserFactory(), **application())
        company.refresh_from_db()
        assert (company.vat_valid, company.vat_check_source, company.vat_registered_name) == (
            True, "vies", "STUDIO NOORD INTERIEUR B.V.")
        with ViesStandIn(unavailable=True) as vies, \
                override_settings(TRADE_VAT_CHECKER={"BACKEND": "marketplace.trade.vat.ViesVatChecker",
                                                     "OPTIONS": {"url": vies.url, "timeout": 5}}):
            other = trade_company_apply(user=UserFactory(), **application(legal_name="Other B.V."))
        other.refresh_from_db()
        assert other.vat_valid is None and other.vat_checked_at is not None


class TestDecisions:
    @pytest.mark.parametrize("decision", sorted(TRANSITIONS))
    @pytest.mark.parametrize("status", [status for status, _label in TradeCompany.Status.choices])
    def test_each_decision_applies_only_to_its_statuses(self, decision, status):
        company = TradeCompanyFactory(status=status)
        trade_buyer_create(company)
        allowed = status in TRANSITIONS[decision]
        if allowed:
            decided = trade_company_decide(company=company, decision=decision, by=staff_user(), reason="Checked.")
            assert decided.status != status or decision == "reinstate"
            assert ModelLogEntry.objects.filter(action=f"trade.{decision}", object_id=str(company.pk)).exists()
            assert len(mail.outbox) == 1
        else:
            with pytest.raises(ValidationError) as raised:
                trade_company_decide(company=company, decision=decision, by=staff_user(), reason="Checked.")
            assert raised.value.code == "invalid_transition"
            company.refresh_from_db()
            assert company.status == status and not mail.outbox

    @pytest.mark.parametrize("decision", ["reject", "suspend"])
    def test_rejecting_and_suspending_need_a_reason_the_company_is_told(self, decision):
        company = TradeCompanyFactory(status="pending" if decision == "reject" else "verified")
        trade_buyer_create(company, email="buyer@studio-noord.example")
        with pytest.raises(ValidationError):
            trade_company_decide(company=company, decision=decision, by=staff_user(), reason="  ")
        trade_company_decide(company=company, decision=decision, by=staff_user(), reason="The register extract is unreadable.")
        assert "The register extract is unreadable." in mail.outbox[0].body
        assert mail.outbox[0].to == ["buyer@studio-noord.example"]

    def test_verified_sees_wholesale_suspended_does_not(self):
        company = TradeCompanyFactory(status="pending")
        user = trade_buyer_create(company)
        assert trade_buyer_of(user) is None
        trade_company_decide(company=company, decision="verify", by=staff_user())
        assert trade_buyer_of(user).company_id == company.pk
        trade_company_decide(company=company, decision="suspend", by=staff_user(), reason="Unpaid invoices.")
        assert trade_buyer_of(user) is None

    def test_the_decision_email_is_in_the_companys_language(self):
        company = TradeCompanyFactory(status="pending", language="fr")
        trade_buyer_create(company)
        trade_company_decide(company=company, decision="verify", by=staff_user())
        assert "/fr/" in mail.outbox[0].body


def _client_for(client, role, company_a):
    users = {
        "anonymous": None,
        "retail buyer": lambda: UserFactory(),
        "buyer of A": lambda: trade_buyer_create(company_a, role=TradeMember.Role.BUYER),
        "manager of A": lambda: trade_buyer_create(company_a),
        "manager of B": lambda: trade_buyer_create(TradeCompanyFactory()),
        "seller member": lambda: SellerMemberFactory().user,
        "chamber staff": staff_user,
        "label inspector": lambda: _inspector(),
    }
    if users[role] is not None:
        client.force_login(users[role]())
    return client


def _inspector():
    user = UserFactory()
    user.groups.add(role_group(INSPECTORS_GROUP))
    return user


ROLES = ("anonymous", "retail buyer", "buyer of A", "manager of A", "manager of B", "seller member",
         "chamber staff", "label inspector")


class TestWhoReachesWhat:
    @pytest.mark.parametrize("role", ROLES)
    def test_my_company_shows_only_the_users_own_company(self, client, role):
        company_a = TradeCompanyFactory(legal_name="Company A B.V.")
        response = _client_for(client, role, company_a).get(reverse("trade_company"))
        if role == "anonymous":
            assert response.status_code == 302 and "login" in response["Location"]
        elif role in ("buyer of A", "manager of A"):
            assert response.status_code == 200 and b"Company A B.V." in response.content
        else:
            assert response.status_code == 302 or b"Company A B.V." not in response.content

    @pytest.mark.parametrize("role", ROLES)
    def test_the_admin_queue_and_documents_are_for_chamber_staff_only(self, client, role):
        company_a = TradeCompanyFactory(legal_name="Company A B.V.")
        document = TradeDocument.objects.create(company=company_a, file=pdf(), original_name="kvk.pdf",
                                                content_type="application/pdf", size=len(PDF))
        client = _client_for(client, role, company_a)
        urls = [reverse("trade_companies:index"), reverse("trade_companies:inspect", args=[company_a.pk]),
                reverse("trade_companies:document", args=[document.pk])]
        for url in urls:
            response = client.get(url)
            if role == "chamber staff":
                assert response.status_code == 200, url
            else:
                assert response.status_code in (302, 403), (url, response.status_code)
        response = client.post(reverse("trade_companies:decide", args=[company_a.pk, "suspend"]), {"reason": "x"})
        company_a.refresh_from_db()
        assert company_a.status == ("suspended" if role == "chamber staff" else "verified")


class TestApplyPage:
    def test_a_signed_in_buyer_applies_through_the_form(self, client):
        user = UserFactory()
        client.force_login(user)
        data = {key: value for key, value in application().items() if key != "documents"}
        response = client.post(reverse("trade_apply"), {**data, "documents": [pdf()]})
        assert response.status_code == 302 and response["Location"].endswith(reverse("trade_company"))
        assert TradeMember.objects.get(user=user).company.legal_name == "Studio Noord Interieur B.V."

    def test_a_bad_vat_number_is_shown_on_the_form_and_nothing_is_saved(self, client):
        client.force_login(UserFactory())
        data = {key: value for key, value in application(vat_number="NL123").items() if key != "documents"}
        response = client.post(reverse("trade_apply"), {**data, "documents": [pdf()]})
        assert response.status_code == 200 and b"not a valid VAT number" in response.content
        assert not TradeCompany.objects.exists()

    def test_a_member_of_a_company_is_sent_to_its_page(self, client):
        client.force_login(trade_buyer_create())
        assert client.get(reverse("trade_apply"))["Location"].endswith(reverse("trade_company"))
