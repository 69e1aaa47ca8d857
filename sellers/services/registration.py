"""Registration of sellers: the public form's application, its documents and its emails.

Each function validates, writes in one transaction and queues its emails on commit.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from config.public_urls import public_base_url
from outbox.services import outbox_enqueue

from ..documents import document_content_type
from ..models import Region, Seller, SellerDocument, SellerMember, Trade
from ..registers import register_number_normalise
from ..signals import seller_status_changed


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
