"""A seller's managers invite and remove members; members work in the seller's workspace only."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from sellers.models import Seller, SellerMember
from sellers.services import seller_member_invite, seller_member_remove, seller_verify
from tests.factories.sellers import SellerFactory, SellerMemberFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(tree):
    member = SellerMemberFactory(seller=SellerFactory(status=Seller.Status.PENDING), role=SellerMember.Role.MANAGER)
    seller_verify(seller=member.seller, by=UserFactory(username="chamber"))
    return member


class TestInvite:
    def test_a_new_person_gets_an_account_in_the_workspace_and_a_link_to_choose_a_password(
        self, manager, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            member = seller_member_invite(seller=manager.seller, email="Khadija@Example.org", by=manager.user)

        assert member.user.email == "khadija@example.org" and not member.user.has_usable_password()
        assert list(member.user.groups.all()) == list(manager.user.groups.all())
        assert mail.outbox[0].to == ["khadija@example.org"]
        assert "/admin/password_reset/confirm/" in mail.outbox[0].body

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


class TestRemove:
    def test_a_removed_member_leaves_the_workspace(self, manager):
        member = seller_member_invite(seller=manager.seller, email="k@example.org", by=manager.user)
        seller_member_remove(member=member, by=manager.user)
        assert not SellerMember.objects.filter(pk=member.pk).exists()
        assert not member.user.groups.exists()

    def test_the_last_manager_stays(self, manager):
        with pytest.raises(ValidationError, match="at least one manager"):
            seller_member_remove(member=manager, by=manager.user)


class TestMembersScreen:
    def test_managers_invite_from_the_admin(self, manager, client):
        client.force_login(manager.user)
        response = client.post(reverse("seller_members"), {"email": "amal@example.org", "role": "member"})
        assert response.status_code == 302
        assert manager.seller.members.filter(user__email="amal@example.org").exists()

    def test_members_who_are_not_managers_cannot_open_it(self, manager, client):
        plain = SellerMemberFactory(seller=manager.seller, role=SellerMember.Role.MEMBER)
        client.force_login(plain.user)
        assert client.get(reverse("seller_members")).status_code in (302, 403)

    def test_a_manager_cannot_remove_another_sellers_member(self, manager, client):
        other = SellerMemberFactory(role=SellerMember.Role.MEMBER)
        client.force_login(manager.user)
        response = client.post(reverse("seller_members"), {"remove": other.pk})
        assert response.status_code == 404
        assert SellerMember.objects.filter(pk=other.pk).exists()
