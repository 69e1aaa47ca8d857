"""A company's users: managers invite by email (a signed link), withdraw, change roles and remove; the
last manager stays; one user buys for one company; nobody acts on another company's users."""

import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from django.urls import reverse

from marketplace.trade.models import TradeInvitation, TradeMember
from marketplace.trade.services import (
    trade_invitation_accept,
    trade_invitation_from_token,
    trade_member_invite,
    trade_member_remove,
    trade_member_role_change,
)
from tests.factories.sellers import UserFactory
from tests.factories.trade import TradeCompanyFactory, trade_buyer_create

pytestmark = pytest.mark.django_db


def invite(**fields):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return trade_member_invite(**fields)


def link_in(message) -> str:
    return re.search(r"https?://\S+/account/trade/invitation/\S+/", message.body).group(0)


class TestInvitations:
    def test_the_invitee_accepts_through_the_emailed_link_with_the_invited_address(self, client):
        company = TradeCompanyFactory(language="fr")
        manager = trade_buyer_create(company)
        invite(company=company, email="Sara@Studio-Noord.example", role="buyer", by=manager)
        message = mail.outbox[0]
        assert message.to == ["sara@studio-noord.example"] and "/fr/" in link_in(message)
        sara = UserFactory(email="sara@studio-noord.example")
        client.force_login(sara)
        path = link_in(message).split("://", 1)[1].split("/", 1)[1]
        assert client.get(f"/{path}").status_code == 200
        response = client.post(f"/{path}")
        assert response.status_code == 302
        assert TradeMember.objects.get(user=sara).company == company

    def test_only_a_manager_invites(self):
        company = TradeCompanyFactory()
        buyer = trade_buyer_create(company, role=TradeMember.Role.BUYER)
        with pytest.raises(PermissionDenied):
            trade_member_invite(company=company, email="x@example.org", by=buyer)
        with pytest.raises(PermissionDenied):
            trade_member_invite(company=company, email="x@example.org", by=trade_buyer_create())  # another company's

    @pytest.mark.parametrize(("email", "role"), [("not-an-email", "buyer"), ("x@example.org", "owner")])
    def test_a_bad_address_or_role_is_refused(self, email, role):
        company = TradeCompanyFactory()
        with pytest.raises(ValidationError):
            trade_member_invite(company=company, email=email, role=role, by=trade_buyer_create(company))

    def test_someone_who_buys_for_a_company_cannot_be_invited_to_another(self):
        other = trade_buyer_create(email="taken@example.org")
        company = TradeCompanyFactory()
        with pytest.raises(ValidationError):
            trade_member_invite(company=company, email=other.email, by=trade_buyer_create(company))

    def test_one_open_invitation_per_address(self):
        company = TradeCompanyFactory()
        manager = trade_buyer_create(company)
        invite(company=company, email="x@example.org", by=manager)
        with pytest.raises(ValidationError):
            trade_member_invite(company=company, email="x@example.org", by=manager)

    def test_another_account_cannot_accept_and_an_accepted_invitation_is_spent(self):
        company = TradeCompanyFactory()
        invitation = invite(company=company, email="x@example.org", by=trade_buyer_create(company))
        with pytest.raises(PermissionDenied):
            trade_invitation_accept(invitation=invitation, user=UserFactory(email="y@example.org"))
        user = UserFactory(email="x@example.org")
        trade_invitation_accept(invitation=invitation, user=user)
        with pytest.raises(ValidationError):
            trade_invitation_accept(invitation=invitation, user=user)

    def test_a_forged_or_altered_link_names_no_invitation(self, client):
        assert trade_invitation_from_token("1") is None
        assert trade_invitation_from_token("x" * 5000) is None
        client.force_login(UserFactory())
        assert client.get(reverse("trade_invitation", args=["forged:token"])).status_code == 404

    def test_a_withdrawn_invitation_cannot_be_accepted(self, client):
        company = TradeCompanyFactory()
        manager = trade_buyer_create(company)
        invitation = invite(company=company, email="x@example.org", by=manager)
        client.force_login(manager)
        client.post(reverse("trade_invitation_revoke", args=[invitation.pk]))
        invitation.refresh_from_db()
        assert invitation.status == TradeInvitation.Status.REVOKED
        with pytest.raises(ValidationError):
            trade_invitation_accept(invitation=invitation, user=UserFactory(email="x@example.org"))


class TestUsers:
    def test_the_last_manager_stays(self):
        company = TradeCompanyFactory()
        manager = trade_buyer_create(company)
        member = TradeMember.objects.get(user=manager)
        with pytest.raises(ValidationError):
            trade_member_role_change(member=member, role="buyer", by=manager)
        with pytest.raises(ValidationError):
            trade_member_remove(member=member, by=manager)
        second = trade_buyer_create(company)
        trade_member_remove(member=member, by=second)
        assert not TradeMember.objects.filter(user=manager).exists()

    def test_a_buyer_may_leave_but_not_remove_others(self):
        company = TradeCompanyFactory()
        trade_buyer_create(company)
        buyer = trade_buyer_create(company, role="buyer")
        colleague = TradeMember.objects.get(user=trade_buyer_create(company, role="buyer"))
        with pytest.raises(PermissionDenied):
            trade_member_remove(member=colleague, by=buyer)
        trade_member_remove(member=TradeMember.objects.get(user=buyer), by=buyer)
        assert not TradeMember.objects.filter(user=buyer).exists()

    def test_a_manager_of_another_company_reaches_nothing_of_this_one(self, client):
        company = TradeCompanyFactory()
        trade_buyer_create(company)
        target = TradeMember.objects.get(user=trade_buyer_create(company, role="buyer"))
        invitation = invite(company=company, email="x@example.org", by=TradeMember.objects.filter(
            company=company, role="manager").first().user)
        client.force_login(trade_buyer_create())
        assert client.post(reverse("trade_member_change", args=[target.pk]), {"remove": "1"}).status_code == 404
        assert client.post(reverse("trade_member_change", args=[target.pk]), {"role": "manager"}).status_code == 404
        assert client.post(reverse("trade_invitation_revoke", args=[invitation.pk])).status_code == 404
        target.refresh_from_db()
        invitation.refresh_from_db()
        assert target.role == "buyer" and invitation.status == "pending"


class TestCompanyOrders:
    def test_every_user_of_the_company_sees_its_orders_and_nobody_else_does(self, client):
        from marketplace.orders.models import Order

        company = TradeCompanyFactory()
        manager = trade_buyer_create(company)
        colleague = trade_buyer_create(company, role="buyer")
        fields = {"email": "buyer@example.org", "language": "en", "base_currency": "MAD", "currency": "EUR",
                  "exchange_rate": 1, "subtotal_base": 0, "shipping_base": 0, "total_base": 0, "subtotal": 0,
                  "shipping": 0, "total": 0, "ship_name": "Eva", "ship_line1": "Prinsengracht 263",
                  "ship_city": "Amsterdam", "ship_country": "NL", "delivery_by": "2027-01-15",
                  "payment_provider": "offline", "pay_by": "2027-01-01T00:00:00Z"}
        Order.objects.create(reference="SE26-TRADE1", user=manager, trade_company=company, **fields)
        Order.objects.create(reference="SE26-OTHER1", user=trade_buyer_create(), trade_company=TradeCompanyFactory(),
                             **fields)
        client.force_login(colleague)
        page = client.get(reverse("trade_company_orders")).content.decode()
        assert "SE26-TRADE1" in page and "SE26-OTHER1" not in page
        client.force_login(UserFactory())
        assert client.get(reverse("trade_company_orders"))["Location"].endswith(reverse("trade_apply"))
