"""A seller's managers invite members, who join only by accepting a signed link; chamber staff see and
remove any membership; every change is in Wagtail's audit log."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from sellers.models import PastSellerMembership, Seller, SellerInvitation, SellerMember
from sellers.roles import CHAMBER_STAFF_GROUP, INSPECTORS_GROUP, LEAD_INSPECTORS_GROUP
from sellers.selectors import seller_invitation_token
from sellers.services import (
    seller_invitation_accept,
    seller_invitation_decline,
    seller_invitation_revoke,
    seller_member_invite,
    seller_member_remove,
    seller_member_role_change,
    seller_verify,
)
from tests.factories.sellers import SellerFactory, SellerMemberFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(tree):
    member = SellerMemberFactory(seller=SellerFactory(status=Seller.Status.PENDING), role=SellerMember.Role.MANAGER)
    seller_verify(seller=member.seller, by=UserFactory(username="chamber"))
    return member


@pytest.fixture
def chamber_staff(db):
    group = Group.objects.get_or_create(name=CHAMBER_STAFF_GROUP)[0]
    group.permissions.add(*Permission.objects.filter(
        content_type__app_label="sellers", codename__in=("view_sellermember", "delete_sellermember")))
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    user = UserFactory(username="chamber-staff")
    user.groups.add(group)
    return user


def invitation_link(invitation) -> str:
    return reverse("seller_invitation", args=[seller_invitation_token(invitation=invitation)])


def log_actions(seller) -> list[str]:
    return list(ModelLogEntry.objects.for_instance(seller).order_by("timestamp", "pk").values_list("action", flat=True))


class TestInvite:
    def test_an_existing_account_invited_by_email_is_not_a_member_until_it_accepts(self, manager):
        inspector = UserFactory(username="someone")
        seller_member_invite(seller=manager.seller, email=inspector.email, by=manager.user)

        assert not SellerMember.objects.filter(seller=manager.seller, user=inspector).exists()
        assert not inspector.groups.exists()

    def test_a_new_address_gets_a_signed_link_and_no_account_yet(self, manager, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            invitation = seller_member_invite(seller=manager.seller, email="Khadija@Example.org", by=manager.user)

        assert invitation.email == "khadija@example.org" and invitation.status == SellerInvitation.Status.PENDING
        assert not manager.user.__class__.objects.filter(email__iexact="khadija@example.org").exists()
        assert mail.outbox[0].to == ["khadija@example.org"]
        assert re.search(r"/sell/invitation/[^/\s]+/", mail.outbox[0].body)

    @pytest.mark.parametrize("group", [CHAMBER_STAFF_GROUP, INSPECTORS_GROUP, LEAD_INSPECTORS_GROUP, "superuser"])
    def test_chamber_and_inspector_accounts_cannot_be_invited(self, manager, group):
        official = UserFactory(username="official", is_superuser=group == "superuser")
        if group != "superuser":
            official.groups.add(Group.objects.get_or_create(name=group)[0])

        with pytest.raises(ValidationError, match="chamber of handicraft or to a label inspector"):
            seller_member_invite(seller=manager.seller, email=official.email, by=manager.user)
        assert not SellerMember.objects.filter(user=official).exists()
        assert not SellerInvitation.objects.exists()

    def test_only_managers_invite(self, manager):
        plain = SellerMemberFactory(seller=manager.seller, role=SellerMember.Role.MEMBER)
        with pytest.raises(PermissionDenied):
            seller_member_invite(seller=manager.seller, email="x@example.org", by=plain.user)
        outsider = SellerMemberFactory(role=SellerMember.Role.MANAGER)
        with pytest.raises(PermissionDenied):
            seller_member_invite(seller=manager.seller, email="x@example.org", by=outsider.user)

    def test_an_existing_member_is_not_invited_twice(self, manager):
        with pytest.raises(ValidationError, match="already a member"):
            seller_member_invite(seller=manager.seller, email=manager.user.email, by=manager.user)

    def test_an_open_invitation_is_not_sent_twice_but_an_expired_one_is_renewed(self, manager):
        first = seller_member_invite(seller=manager.seller, email="k@example.org", by=manager.user)
        with pytest.raises(ValidationError, match="already awaiting an answer"):
            seller_member_invite(seller=manager.seller, email="k@example.org", by=manager.user)
        SellerInvitation.objects.filter(pk=first.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
        renewed = seller_member_invite(seller=manager.seller, email="k@example.org", by=manager.user)
        assert renewed.pk == first.pk and renewed.is_open


class TestAccept:
    def test_the_invitee_logged_in_accepts_through_the_link_and_joins_the_workspace(self, manager, client):
        invitee = UserFactory(username="amal")
        invitation = seller_member_invite(seller=manager.seller, email=invitee.email, by=manager.user)
        client.force_login(invitee)

        assert client.get(invitation_link(invitation)).status_code == 200
        response = client.post(invitation_link(invitation), {"accept": "1"})

        assert response.status_code == 302
        member = SellerMember.objects.get(seller=manager.seller, user=invitee)
        assert member.role == SellerMember.Role.MEMBER
        assert set(invitee.groups.all()) == set(manager.user.groups.all())
        invitation.refresh_from_db()
        assert invitation.status == SellerInvitation.Status.ACCEPTED and invitation.answered_by == invitee

    def test_an_invitee_not_logged_in_is_sent_to_log_in_first(self, manager, client):
        invitee = UserFactory(username="amal")
        invitation = seller_member_invite(seller=manager.seller, email=invitee.email, by=manager.user)
        response = client.post(invitation_link(invitation), {"accept": "1"})
        assert response.status_code == 302 and "login" in response.url
        assert not SellerMember.objects.filter(user=invitee).exists()

    def test_a_new_person_chooses_a_password_and_joins(self, manager, client):
        invitation = seller_member_invite(seller=manager.seller, email="khadija@example.org", by=manager.user)
        response = client.post(
            invitation_link(invitation), {"accept": "1", "password": "Tagine-Souk-2026", "password_again": "Tagine-Souk-2026"}
        )
        assert response.status_code == 302
        member = SellerMember.objects.get(seller=manager.seller, user__email="khadija@example.org")
        assert member.user.check_password("Tagine-Souk-2026")

    def test_a_weak_or_mismatched_password_makes_nothing(self, manager, client):
        invitation = seller_member_invite(seller=manager.seller, email="khadija@example.org", by=manager.user)
        for password, again in (("123", "123"), ("Tagine-Souk-2026", "Tagine-Souk-2027")):
            response = client.post(invitation_link(invitation), {"accept": "1", "password": password, "password_again": again})
            assert response.status_code == 200
        assert not manager.user.__class__.objects.filter(email="khadija@example.org").exists()

    def test_another_account_cannot_accept(self, manager, client):
        UserFactory(username="amal")
        invitation = seller_member_invite(seller=manager.seller, email="amal@example.org", by=manager.user)
        intruder = UserFactory(username="intruder")
        with pytest.raises(PermissionDenied):
            seller_invitation_accept(invitation=invitation, user=intruder)
        client.force_login(intruder)
        response = client.post(invitation_link(invitation), {"accept": "1"})
        assert response.status_code == 200 and b"another email address" in response.content
        assert not SellerMember.objects.filter(user=intruder).exists()

    def test_an_expired_withdrawn_or_forged_link_grants_nothing(self, manager, client):
        invitee = UserFactory(username="amal")
        client.force_login(invitee)
        expired = seller_member_invite(seller=manager.seller, email=invitee.email, by=manager.user)
        SellerInvitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
        assert client.post(invitation_link(expired), {"accept": "1"}).status_code == 410
        with pytest.raises(ValidationError, match="expired"):
            seller_invitation_accept(invitation=expired, user=invitee)

        withdrawn = seller_member_invite(seller=manager.seller, email="other@example.org", by=manager.user)
        seller_invitation_revoke(invitation=withdrawn, by=manager.user)
        assert client.post(invitation_link(withdrawn), {"accept": "1"}).status_code == 410

        forged = invitation_link(expired)[:-3] + "xyz/"
        assert client.post(forged, {"accept": "1"}).status_code == 404
        assert client.get(reverse("seller_invitation", args=["a\x00b"])).status_code == 404
        assert not SellerMember.objects.filter(user=invitee).exists()

    def test_a_link_older_than_its_validity_is_refused_by_its_signature(self, manager, client, settings):
        invitee = UserFactory(username="amal")
        invitation = seller_member_invite(seller=manager.seller, email=invitee.email, by=manager.user)
        link = invitation_link(invitation)
        settings.SELLER_INVITATION_VALID_DAYS = -1
        client.force_login(invitee)
        assert client.post(link, {"accept": "1"}).status_code == 404
        assert not SellerMember.objects.filter(user=invitee).exists()

    def test_an_account_made_an_inspector_meanwhile_cannot_accept(self, manager):
        invitee = UserFactory(username="amal")
        invitation = seller_member_invite(seller=manager.seller, email=invitee.email, by=manager.user)
        invitee.groups.add(Group.objects.get_or_create(name=INSPECTORS_GROUP)[0])
        with pytest.raises(ValidationError, match="label inspector"):
            seller_invitation_accept(invitation=invitation, user=invitee)
        assert not SellerMember.objects.filter(user=invitee).exists()

    def test_declining_grants_nothing_and_closes_the_link(self, manager, client):
        invitee = UserFactory(username="amal")
        invitation = seller_member_invite(seller=manager.seller, email=invitee.email, by=manager.user)
        assert client.post(invitation_link(invitation), {"decline": "1"}).status_code == 200
        invitation.refresh_from_db()
        assert invitation.status == SellerInvitation.Status.DECLINED
        with pytest.raises(ValidationError, match="already been answered"):
            seller_invitation_accept(invitation=invitation, user=invitee)


class TestRemove:
    def test_a_removed_member_leaves_the_workspace_and_its_membership_is_kept_as_past(self, manager):
        invitee = UserFactory(username="amal")
        invitation = seller_member_invite(seller=manager.seller, email=invitee.email, by=manager.user)
        member = seller_invitation_accept(invitation=invitation, user=invitee)
        seller_member_remove(member=member, by=manager.user)
        assert not SellerMember.objects.filter(pk=member.pk).exists()
        assert not invitee.groups.exists()
        past = PastSellerMembership.objects.get(user=invitee)
        assert past.seller == manager.seller and past.joined_at == member.joined_at and past.left_at >= past.joined_at

    def test_the_last_manager_stays(self, manager):
        with pytest.raises(ValidationError, match="at least one manager"):
            seller_member_remove(member=manager, by=manager.user)
        with pytest.raises(ValidationError, match="at least one manager"):
            seller_member_role_change(member=manager, role=SellerMember.Role.MEMBER, by=manager.user)


class TestAuditLog:
    def test_every_change_of_membership_is_logged(self, manager, chamber_staff):
        seller = manager.seller
        invitee = UserFactory(username="amal")
        member = seller_invitation_accept(
            invitation=seller_member_invite(seller=seller, email=invitee.email, by=manager.user), user=invitee
        )
        seller_invitation_decline(invitation=seller_member_invite(seller=seller, email="no@example.org", by=manager.user))
        seller_invitation_revoke(invitation=seller_member_invite(seller=seller, email="w@example.org", by=manager.user),
                                 by=manager.user)
        seller_member_role_change(member=member, role=SellerMember.Role.MANAGER, by=manager.user)
        seller_member_remove(member=member, by=chamber_staff)

        actions = log_actions(seller)
        for action in ("member_invite", "member_accept", "member_decline", "member_revoke", "member_role_change",
                       "member_remove"):
            assert f"sellers.{action}" in actions, actions
        removal = ModelLogEntry.objects.for_instance(seller).get(action="sellers.member_remove")
        assert removal.user == chamber_staff and removal.data["email"] == invitee.email


class TestMembersScreen:
    def test_managers_invite_from_the_admin_and_the_invitee_is_only_invited(self, manager, client):
        client.force_login(manager.user)
        response = client.post(reverse("seller_members"), {"email": "amal@example.org", "role": "member"})
        assert response.status_code == 302
        assert SellerInvitation.objects.filter(seller=manager.seller, email="amal@example.org").exists()
        assert not manager.seller.members.filter(user__email="amal@example.org").exists()
        assert b"amal@example.org" in client.get(reverse("seller_members")).content

    def test_inviting_an_inspector_shows_why_on_the_form(self, manager, client):
        inspector = UserFactory(username="inspector")
        inspector.groups.add(Group.objects.get_or_create(name=INSPECTORS_GROUP)[0])
        client.force_login(manager.user)
        response = client.post(reverse("seller_members"), {"email": inspector.email, "role": "manager"})
        assert response.status_code == 200 and b"label inspector" in response.content
        assert not SellerMember.objects.filter(user=inspector).exists()

    def test_members_who_are_not_managers_cannot_open_it(self, manager, client):
        plain = SellerMemberFactory(seller=manager.seller, role=SellerMember.Role.MEMBER)
        client.force_login(plain.user)
        assert client.get(reverse("seller_members")).status_code in (302, 403)

    def test_a_manager_sees_and_removes_only_its_own_sellers_members(self, manager, client):
        other = SellerMemberFactory(role=SellerMember.Role.MEMBER, user__username="other-member")
        client.force_login(manager.user)
        assert other.user.email.encode() not in client.get(reverse("seller_members")).content
        response = client.post(reverse("seller_members"), {"remove": other.pk})
        assert response.status_code == 404
        assert client.post(reverse("seller_members"), {"remove": "x\x00"}).status_code == 404
        assert client.post(reverse("seller_members"), {"remove": "9" * 30}).status_code == 404
        assert SellerMember.objects.filter(pk=other.pk).exists()

    def test_a_manager_changes_a_members_role_and_withdraws_an_invitation(self, manager, client):
        plain = SellerMemberFactory(seller=manager.seller, role=SellerMember.Role.MEMBER)
        invitation = seller_member_invite(seller=manager.seller, email="later@example.org", by=manager.user)
        client.force_login(manager.user)
        client.post(reverse("seller_members"), {"change_role": plain.pk, "role": "manager"})
        client.post(reverse("seller_members"), {"revoke": invitation.pk})
        plain.refresh_from_db()
        invitation.refresh_from_db()
        assert plain.role == SellerMember.Role.MANAGER and invitation.status == SellerInvitation.Status.REVOKED
        response = client.post(reverse("seller_members"), {"change_role": plain.pk, "role": "owner\x00"}, follow=True)
        assert response.status_code == 200 and b"Choose a role" in response.content

    def test_chamber_staff_see_every_sellers_members_and_invitations_and_remove_any(self, manager, chamber_staff, client):
        other = SellerMemberFactory(role=SellerMember.Role.MEMBER, user__username="other-member")
        SellerMemberFactory(seller=other.seller, role=SellerMember.Role.MANAGER, user__username="other-manager")
        seller_member_invite(seller=manager.seller, email="pending@example.org", by=manager.user)
        client.force_login(chamber_staff)

        page = client.get(reverse("seller_members"))
        assert page.status_code == 200
        for email in (manager.user.email, other.user.email, "pending@example.org"):
            assert email.encode() in page.content

        assert client.post(reverse("seller_members"), {"remove": other.pk}).status_code == 302
        assert not SellerMember.objects.filter(pk=other.pk).exists()
        assert PastSellerMembership.objects.filter(user=other.user, seller=other.seller).exists()


class TestOfficialsAlreadyMembers:
    def test_memberships_made_before_invitations_needed_accepting_are_listed_and_removed(self, manager, chamber_staff):
        inspector = UserFactory(username="planted-inspector")
        inspector.groups.add(Group.objects.get_or_create(name=INSPECTORS_GROUP)[0])
        SellerMemberFactory(seller=manager.seller, user=inspector, role=SellerMember.Role.MEMBER)

        listed = StringIO()
        call_command("seller_members_officials", stdout=listed)
        assert inspector.email in listed.getvalue() and manager.user.email not in listed.getvalue()

        call_command("seller_members_officials", remove_as=chamber_staff.username, stdout=StringIO())
        assert not SellerMember.objects.filter(user=inspector).exists()
        assert SellerMember.objects.filter(pk=manager.pk).exists()
        assert ModelLogEntry.objects.for_instance(manager.seller).filter(action="sellers.member_remove").exists()
