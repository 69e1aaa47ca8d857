"""Invitations to join a seller: sent by its managers, accepted, declined or revoked.

Each function validates, writes in one transaction and queues its emails on commit.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import EmailValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from config.public_urls import public_base_url
from outbox.services import outbox_enqueue

from ..models import Seller, SellerInvitation, SellerMember
from ..permissions import seller_member_permission_policy
from ..roles import is_platform_official
from ..signals import seller_member_joined

OFFICIAL_ACCOUNT_MESSAGE = _(
    "This account belongs to the chamber of handicraft or to a label inspector: it cannot be a member of a "
    "seller. Invite a personal address instead."
)


def _official_refused(user) -> None:
    if user is not None and is_platform_official(user):
        raise ValidationError({"email": OFFICIAL_ACCOUNT_MESSAGE}, code="official_account")


def _invitation_valid_for() -> timedelta:
    return timedelta(days=settings.SELLER_INVITATION_VALID_DAYS)


def seller_member_invite(*, seller: Seller, email: str, by, role: str = SellerMember.Role.MEMBER) -> SellerInvitation:
    """Invite someone by email to join the seller. Nothing is granted until the invitee accepts through
    the signed link the email carries (``seller_invitation_accept``). Only the seller's managers invite.

    Raises PermissionDenied for a non-manager; ValidationError for a bad email or role, an account of
    the chamber or of a label inspector, an existing member or an invitation still awaiting an answer.
    """
    if not SellerMember.objects.filter(seller=seller, user=by, role=SellerMember.Role.MANAGER).exists():
        raise PermissionDenied(_("Only the seller's managers invite members."))
    User = get_user_model()
    email = User.objects.normalize_email(email or "").strip().lower()
    try:
        EmailValidator()(email)
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid email address.")}, code="invalid_email") from None
    if role not in SellerMember.Role.values:
        raise ValidationError({"role": _("Choose a role.")}, code="invalid_role")
    user = User.objects.filter(email__iexact=email).first()
    _official_refused(user)
    if user is not None and SellerMember.objects.filter(seller=seller, user=user).exists():
        raise ValidationError({"email": _("This person is already a member.")}, code="already_member")
    now = timezone.now()
    with transaction.atomic():
        Seller.objects.select_for_update().get(pk=seller.pk)  # one invitation at a time per seller
        invitation = SellerInvitation.objects.filter(
            seller=seller, email=email, status=SellerInvitation.Status.PENDING
        ).first()
        if invitation is not None and not invitation.is_expired(now):
            raise ValidationError(
                {"email": _("An invitation to this address is already awaiting an answer.")}, code="already_invited"
            )
        if invitation is None:
            invitation = SellerInvitation(seller=seller, email=email)
        # An expired invitation to the same address is renewed rather than duplicated.
        invitation.role, invitation.invited_by = role, by
        invitation.created_at, invitation.expires_at = now, now + _invitation_valid_for()
        invitation.full_clean(validate_constraints=False)
        invitation.save()
        log(seller, "sellers.member_invite", user=by, data={"email": email, "role": role})
        outbox_enqueue("sellers.tasks.seller_invitation_send", invitation.pk, public_base_url())
    return invitation


def _invitation_locked_open(invitation: SellerInvitation) -> SellerInvitation:
    invitation = SellerInvitation.objects.select_for_update().select_related("seller").get(pk=invitation.pk)
    if invitation.status != SellerInvitation.Status.PENDING:
        raise ValidationError(_("This invitation has already been answered or was withdrawn."), code="answered")
    if invitation.is_expired():
        raise ValidationError(
            _("This invitation has expired. Ask the seller's manager to invite you again."), code="expired"
        )
    return invitation


def seller_invitation_accept(*, invitation: SellerInvitation, user) -> SellerMember:
    """The invitee, logged in as the account with the invited email, accepts: it becomes a member
    with the invited role and joins the seller's workspace.

    Raises PermissionDenied for another account; ValidationError for an invitation answered,
    withdrawn or expired, an account of the chamber or a label inspector, or an existing member.
    """
    if not user.is_authenticated or user.email.strip().lower() != invitation.email:
        raise PermissionDenied(_("This invitation was sent to another email address."))
    with transaction.atomic():
        invitation = _invitation_locked_open(invitation)
        _official_refused(user)
        if SellerMember.objects.filter(seller=invitation.seller, user=user).exists():
            raise ValidationError(_("You are already a member of this seller."), code="already_member")
        member = SellerMember.objects.create(seller=invitation.seller, user=user, role=invitation.role)
        invitation.status, invitation.answered_at, invitation.answered_by = (
            SellerInvitation.Status.ACCEPTED, timezone.now(), user
        )
        invitation.save(update_fields=["status", "answered_at", "answered_by"])
        seller_member_joined.send(sender=SellerMember, member=member)
        log(invitation.seller, "sellers.member_accept", user=user, data={"email": invitation.email, "role": invitation.role})
    return member


def seller_invitation_accept_with_password(*, invitation: SellerInvitation, password: str) -> SellerMember:
    """An invitee without an account chooses a password: the account is made and the invitation
    accepted together, or neither.

    Raises ValidationError for a weak password, an email that already has an account (log in to
    accept instead), or as ``seller_invitation_accept``.
    """
    User = get_user_model()
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise ValidationError(
            _("An account with this email already exists: log in to accept the invitation."), code="account_exists"
        )
    user = User(username=invitation.email, email=invitation.email)
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}, code="password") from None
    with transaction.atomic():
        user.set_password(password)
        user.save()
        return seller_invitation_accept(invitation=invitation, user=user)


def seller_invitation_decline(*, invitation: SellerInvitation, by=None) -> SellerInvitation:
    """The invitee declines through its link (logged in or not). Raises ValidationError for an
    invitation answered, withdrawn or expired."""
    with transaction.atomic():
        invitation = _invitation_locked_open(invitation)
        who = by if by is not None and by.is_authenticated else None
        invitation.status, invitation.answered_at, invitation.answered_by = (
            SellerInvitation.Status.DECLINED, timezone.now(), who
        )
        invitation.save(update_fields=["status", "answered_at", "answered_by"])
        log(invitation.seller, "sellers.member_decline", user=who, data={"email": invitation.email})
    return invitation


def seller_invitation_revoke(*, invitation: SellerInvitation, by) -> SellerInvitation:
    """A manager of the seller, or chamber staff, withdraws an invitation awaiting an answer.

    Raises PermissionDenied for anyone else, ValidationError for an invitation already answered.
    """
    if not seller_member_permission_policy.user_has_permission_for_seller(by, "delete", invitation.seller_id):
        raise PermissionDenied(_("Only the seller's managers or the chamber withdraw its invitations."))
    with transaction.atomic():
        invitation = SellerInvitation.objects.select_for_update().select_related("seller").get(pk=invitation.pk)
        if invitation.status != SellerInvitation.Status.PENDING:
            raise ValidationError(_("This invitation has already been answered or was withdrawn."), code="answered")
        invitation.status, invitation.answered_at, invitation.answered_by = (
            SellerInvitation.Status.REVOKED, timezone.now(), by
        )
        invitation.save(update_fields=["status", "answered_at", "answered_by"])
        log(invitation.seller, "sellers.member_revoke", user=by, data={"email": invitation.email})
    return invitation
