"""Reads on sellers and their members."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db.models import Q

from .models import PastSellerMembership, Seller, SellerInvitation, SellerMember
from .roles import OFFICIAL_GROUPS

INVITATION_SALT = "sellers.invitation"


def sellers_awaiting_decision():
    """Applications the chamber has not decided on yet (pending or awaiting a register number), newest first."""
    return Seller.objects.filter(
        status__in=(Seller.Status.PENDING, Seller.Status.AWAITING_REGISTRATION)
    ).select_related("region").order_by("-created_at", "-pk")


def seller_member_at(*, seller: Seller | int, user, moment: datetime) -> bool:
    """Whether ``user`` belonged to ``seller`` at ``moment``: a current membership that began by
    then, or a past one that spanned it. Joining later never counts; leaving later never erases it."""
    seller_id = getattr(seller, "pk", seller)
    user_id = getattr(user, "pk", user)
    if user_id is None:
        return False
    return (
        SellerMember.objects.filter(seller_id=seller_id, user_id=user_id, joined_at__lte=moment).exists()
        or PastSellerMembership.objects.filter(
            seller_id=seller_id, user_id=user_id, joined_at__lte=moment, left_at__gt=moment
        ).exists()
    )


def seller_member_ids_at(*, seller: Seller | int, moment: datetime) -> set[int]:
    """The ids of every user who belonged to ``seller`` at ``moment`` (see ``seller_member_at``)."""
    seller_id = getattr(seller, "pk", seller)
    current = SellerMember.objects.filter(seller_id=seller_id, joined_at__lte=moment).values_list("user_id", flat=True)
    past = PastSellerMembership.objects.filter(
        seller_id=seller_id, joined_at__lte=moment, left_at__gt=moment
    ).values_list("user_id", flat=True)
    return set(current) | set(past)


def seller_invitation_token(*, invitation: SellerInvitation) -> str:
    """The signed, timestamped token of an invitation's link."""
    return signing.dumps(invitation.pk, salt=INVITATION_SALT)


def seller_invitation_from_token(*, token: str) -> SellerInvitation | None:
    """The invitation a link names, or None for a forged, altered or expired link (its signature
    is checked, then its age against ``SELLER_INVITATION_VALID_DAYS``)."""
    try:
        pk = signing.loads(token, salt=INVITATION_SALT, max_age=timedelta(days=settings.SELLER_INVITATION_VALID_DAYS))
    except (signing.BadSignature, ValueError):
        return None
    if not isinstance(pk, int):
        return None
    return SellerInvitation.objects.select_related("seller", "invited_by").filter(pk=pk).first()


def seller_memberships_of_officials():
    """Memberships held by accounts of the chamber or its inspectors (``sellers.roles``): none should
    exist; those made before invitations needed accepting are found here for removal."""
    officials = Q(user__is_superuser=True) | Q(user__is_staff=True) | Q(user__groups__name__in=OFFICIAL_GROUPS)
    member_ids = SellerMember.objects.filter(officials).values("pk")
    return SellerMember.objects.filter(pk__in=member_ids).select_related("seller", "user").order_by("seller__legal_name")
