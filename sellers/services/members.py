"""A seller's members: removed, or their role changed, never leaving the seller without a manager.

Each function validates, writes in one transaction and queues its emails on commit.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from ..models import PastSellerMembership, SellerMember
from ..permissions import seller_member_permission_policy
from ..signals import seller_member_left


def _last_manager_kept(member: SellerMember) -> None:
    managers = SellerMember.objects.select_for_update().filter(seller_id=member.seller_id, role=SellerMember.Role.MANAGER)
    if member.role == SellerMember.Role.MANAGER and managers.count() == 1:
        raise ValidationError(_("A seller keeps at least one manager."), code="last_manager")


def seller_member_remove(*, member: SellerMember, by) -> None:
    """Take a member out of its seller (its managers, or chamber staff for any seller); a seller
    always keeps one manager. The membership is kept as a ``PastSellerMembership``.

    Raises PermissionDenied for anyone else, ValidationError for the last manager.
    """
    if not seller_member_permission_policy.user_has_permission_for_instance(by, "delete", member):
        raise PermissionDenied(_("Only the seller's managers or the chamber remove members."))
    with transaction.atomic():
        member = SellerMember.objects.select_for_update().select_related("seller", "user").get(pk=member.pk)
        _last_manager_kept(member)
        PastSellerMembership.objects.create(
            seller=member.seller, user=member.user, role=member.role, joined_at=member.joined_at, left_at=timezone.now()
        )
        seller_member_left.send(sender=SellerMember, member=member)
        log(member.seller, "sellers.member_remove", user=by, data={"email": member.user.email, "role": member.role})
        member.delete()


def seller_member_role_change(*, member: SellerMember, role: str, by) -> SellerMember:
    """Make a member a manager or a plain member (the seller's managers, or chamber staff); a seller
    always keeps one manager.

    Raises PermissionDenied for anyone else, ValidationError for an unknown role or the last manager.
    """
    if not seller_member_permission_policy.user_has_permission_for_instance(by, "change", member):
        raise PermissionDenied(_("Only the seller's managers or the chamber change members' roles."))
    if role not in SellerMember.Role.values:
        raise ValidationError({"role": _("Choose a role.")}, code="invalid_role")
    with transaction.atomic():
        member = SellerMember.objects.select_for_update().select_related("seller", "user").get(pk=member.pk)
        if member.role == role:
            return member
        _last_manager_kept(member)
        previous, member.role = member.role, role
        member.save(update_fields=["role"])
        log(member.seller, "sellers.member_role_change", user=by,
            data={"email": member.user.email, "role": role, "previous_role": previous})
    return member
