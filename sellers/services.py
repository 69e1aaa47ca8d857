"""Registration of sellers and the chamber's decisions on them.

Each function validates, writes in one transaction and queues its emails on commit.
"""

from dataclasses import dataclass

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

from .documents import document_content_type
from .models import Region, Seller, SellerDocument, SellerMember, Trade
from .registers import register_number_normalise
from .signals import seller_member_joined, seller_member_left, seller_status_changed
from .tasks import seller_email_send, seller_member_invitation_send, seller_registration_account_exists_send


@dataclass(frozen=True)
class Registration:
    email: str
    password: str
    contact_name: str
    kind: str
    legal_name: str
    country: str
    region: Region
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
        language = registration.language
        transaction.on_commit(lambda: seller_registration_account_exists_send.delay(email, language))
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
            transaction.on_commit(lambda: seller_email_send.delay(seller.pk, "registered"))
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
        transaction.on_commit(lambda: seller_email_send.delay(seller.pk, decision))
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


def seller_member_invite(*, seller: Seller, email: str, by, role: str = SellerMember.Role.MEMBER) -> SellerMember:
    """Add a member to the seller by email: an existing account joins; otherwise an account is made
    and the invitation email lets its owner choose a password. Only the seller's managers invite.

    Raises PermissionDenied for a non-manager, ValidationError for a bad email or an existing member.
    """
    if not SellerMember.objects.filter(seller=seller, user=by, role=SellerMember.Role.MANAGER).exists():
        raise PermissionDenied(_("Only the seller's managers invite members."))
    User = get_user_model()
    email = User.objects.normalize_email(email).strip().lower()
    try:
        EmailValidator()(email)
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid email address.")}, code="invalid_email") from None
    with transaction.atomic():
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User(username=email, email=email)
            user.set_unusable_password()
            user.save()
        if SellerMember.objects.filter(seller=seller, user=user).exists():
            raise ValidationError({"email": _("This person is already a member.")}, code="already_member")
        member = SellerMember.objects.create(seller=seller, user=user, role=role)
        seller_member_joined.send(sender=SellerMember, member=member)
        log(seller, "sellers.member_invite", user=by, data={"email": email, "role": role})
        transaction.on_commit(lambda: seller_member_invitation_send.delay(member.pk))
    return member


def seller_member_remove(*, member: SellerMember, by) -> None:
    """Take a member out of its seller; a seller always keeps one manager.

    Raises PermissionDenied for a non-manager, ValidationError for the last manager.
    """
    seller = member.seller
    if not SellerMember.objects.filter(seller=seller, user=by, role=SellerMember.Role.MANAGER).exists():
        raise PermissionDenied(_("Only the seller's managers remove members."))
    with transaction.atomic():
        managers = SellerMember.objects.select_for_update().filter(seller=seller, role=SellerMember.Role.MANAGER)
        if member.role == SellerMember.Role.MANAGER and managers.count() == 1:
            raise ValidationError(_("A seller keeps at least one manager."), code="last_manager")
        seller_member_left.send(sender=SellerMember, member=member)
        log(seller, "sellers.member_remove", user=by, data={"email": member.user.email})
        member.delete()
