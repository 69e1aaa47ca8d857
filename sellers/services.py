"""Registration of sellers and the chamber's decisions on them.

Each function validates, writes in one transaction and queues its emails on commit.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import EmailValidator
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from config.public_urls import public_base_url
from outbox.services import outbox_enqueue

from .documents import document_content_type
from .models import PastSellerMembership, Region, Seller, SellerDocument, SellerInvitation, SellerMember, Trade
from .permissions import seller_member_permission_policy
from .registers import register_number_normalise
from .roles import is_platform_official
from .signals import seller_member_joined, seller_member_left, seller_status_changed


@dataclass(frozen=True)
class Registration:
    email: str
    password: str
    contact_name: str
    kind: str
    legal_name: str
    country: str
    region: Region
    name_alternate: str = ""
    register_number: str = ""
    city: str = ""
    phone: str = ""
    trades: tuple[Trade, ...] = ()
    documents: tuple[tuple[str, object], ...] = ()  # (SellerDocument.Kind, uploaded file)
    language: str = settings.LANGUAGE_CODE


def _unique_slug(name: str) -> str:
    base = slugify(name, allow_unicode=True)[:100] or "seller"
    slug, number = base, 1
    while Seller.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def register_number_taken_error() -> ValidationError:
    return ValidationError(
        {
            "register_number": _(
                "This register number is already registered on the platform. If it is yours, write to the "
                "chamber of handicraft at %(email)s: they will add you to the existing seller."
            )
            % {"email": settings.CHAMBER_CONTACT_EMAIL}
        },
        code="register_number_taken",
    )


def seller_register(registration: Registration) -> Seller | None:
    """Create the applicant's account, its seller (pending, or awaiting registration without a number),
    its manager membership and its documents, all or nothing.

    An email that already has an account creates nothing and returns None: its owner is written to
    instead, and the caller answers exactly as for a new account, so that the form never tells
    whether an address has an account here.

    Raises ValidationError, keyed by field, for any bad input; nothing is saved then.
    """
    User = get_user_model()
    errors = {}
    email = User.objects.normalize_email(registration.email).strip().lower()
    has_account = User.objects.filter(email__iexact=email).exists()
    try:
        validate_password(registration.password, User(username=email, email=email))
    except ValidationError as error:
        errors["password"] = error.messages
    documents = []
    for kind, upload in registration.documents:
        try:
            documents.append((kind, upload, document_content_type(upload)))
        except ValidationError as error:
            errors.setdefault("documents", []).extend(error.messages)
    normalised = register_number_normalise(registration.register_number)
    if normalised and Seller.objects.filter(register_number_normalised=normalised).exists():
        errors.update(register_number_taken_error().message_dict)

    seller = Seller(
        kind=registration.kind,
        legal_name=registration.legal_name.strip(),
        name_alternate=registration.name_alternate.strip(),
        slug=_unique_slug(registration.legal_name),
        country=registration.country,
        register_number=registration.register_number,
        region=registration.region,
        city=registration.city.strip(),
        contact_name=registration.contact_name.strip(),
        email=email,
        phone=registration.phone.strip(),
        status=Seller.Status.PENDING if normalised else Seller.Status.AWAITING_REGISTRATION,
        language=registration.language,
    )
    try:
        seller.full_clean(validate_constraints=False)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if any(trade.country != registration.country for trade in registration.trades):
        errors.setdefault("trades", []).append(_("Choose trades of the seller's country."))
    if errors:
        raise ValidationError(errors)
    if has_account:
        outbox_enqueue("sellers.tasks.seller_registration_account_exists_send", email, registration.language,
                       public_base_url())
        return None

    stored = []
    try:
        with transaction.atomic():
            user = User(username=email, email=email, first_name=registration.contact_name.strip()[:150])
            user.set_password(registration.password)
            user.save()
            seller.save()
            seller.trades.set(registration.trades)
            SellerMember.objects.create(seller=seller, user=user, role=SellerMember.Role.MANAGER)
            for kind, upload, content_type in documents:
                document = SellerDocument(
                    seller=seller, kind=kind, original_name=upload.name[:255], content_type=content_type, size=upload.size
                )
                document.file.save(upload.name, upload, save=False)
                stored.append(document.file.name)
                document.save()
            seller_status_changed.send(sender=Seller, seller=seller, previous=None, by=user)
            log(seller, "sellers.register", user=user)
            outbox_enqueue("sellers.tasks.seller_email_send", seller.pk, "registered", public_base_url())
            outbox_enqueue("sellers.tasks.seller_application_staff_notify", seller.pk, public_base_url())
    except BaseException:
        storage = SellerDocument._meta.get_field("file").storage
        for name in stored:  # the rows are rolled back; the files must go too
            storage.delete(name)
        raise
    return seller


# Which decisions apply to which statuses.
TRANSITIONS = {
    "verify": {Seller.Status.PENDING, Seller.Status.AWAITING_REGISTRATION},
    "reject": {Seller.Status.PENDING, Seller.Status.AWAITING_REGISTRATION},
    "suspend": {Seller.Status.VERIFIED},
    "reinstate": {Seller.Status.SUSPENDED},
}
RESULT = {
    "verify": Seller.Status.VERIFIED,
    "reject": Seller.Status.REJECTED,
    "suspend": Seller.Status.SUSPENDED,
    "reinstate": Seller.Status.VERIFIED,
}


def _decide(seller: Seller, decision: str, *, by, reason: str = "", **changes) -> Seller:
    with transaction.atomic():
        seller = Seller.objects.select_for_update().get(pk=seller.pk)
        if seller.status not in TRANSITIONS[decision]:
            raise ValidationError(
                _("A seller whose status is “%(status)s” cannot be given this decision.")
                % {"status": seller.get_status_display()},
                code="invalid_transition",
            )
        previous = seller.status
        for field, value in changes.items():
            setattr(seller, field, value)
        seller.status = RESULT[decision]
        seller.status_reason = reason
        seller.full_clean()
        seller.save()
        seller_status_changed.send(sender=Seller, seller=seller, previous=previous, by=by)
        log(seller, f"sellers.{decision}", user=by, data={"reason": reason} if reason else None)
        outbox_enqueue("sellers.tasks.seller_email_send", seller.pk, decision, public_base_url())
    return seller


def seller_verify(*, seller: Seller, by, register_number: str | None = None) -> Seller:
    """Verify an application; an informal artisan needs its register number recorded now.

    Raises ValidationError for a seller not awaiting a decision, a missing or malformed number, or one
    already registered.
    """
    number = seller.register_number if register_number is None else register_number
    if not register_number_normalise(number):
        raise ValidationError(
            {"register_number": _("Record the seller's register number before verifying it.")}, code="number_needed"
        )
    taken = Seller.objects.filter(register_number_normalised=register_number_normalise(number)).exclude(pk=seller.pk)
    if taken.exists():
        raise register_number_taken_error()
    return _decide(seller, "verify", by=by, register_number=number, verified_at=timezone.now())


def seller_reject(*, seller: Seller, by, reason: str) -> Seller:
    """Refuse an application, with the reason the applicant will read; raises ValidationError."""
    if not reason.strip():
        raise ValidationError({"status_reason": _("Give the applicant the reason.")}, code="reason_needed")
    return _decide(seller, "reject", by=by, reason=reason.strip())


def seller_suspend(*, seller: Seller, by, reason: str) -> Seller:
    """Suspend a verified seller: its listings leave the site until reinstated; raises ValidationError."""
    if not reason.strip():
        raise ValidationError({"status_reason": _("Give the seller the reason.")}, code="reason_needed")
    return _decide(seller, "suspend", by=by, reason=reason.strip())


def seller_reinstate(*, seller: Seller, by) -> Seller:
    """Lift a suspension: the listings it withdrew come back; raises ValidationError."""
    return _decide(seller, "reinstate", by=by)


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
