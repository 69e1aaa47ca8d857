"""Two-factor authentication of admin users (enrolment, verification, backup codes, django-otp), and the
buyer's account data (saved addresses, favourites, deleting the account)."""

from dataclasses import fields

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user, user_has_device
from django_otp.models import VerifyNotAllowed
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.log_actions import log

from catalog.models import Product
from marketplace.orders.services import orders_detach_user
from marketplace.shipping.addresses import ShippingAddress, address_checked

from .models import Favourite, SavedAddress

BACKUP_CODE_COUNT = 10
AUTHENTICATOR_NAME = "Authenticator app"
BACKUP_CODES_NAME = "Backup codes"


def user_requires_two_factor(*, user) -> bool:
    """Superusers, chamber staff and inspectors must use a second factor in the admin; others may."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or user.groups.filter(name__in=settings.TWO_FACTOR_REQUIRED_GROUPS).exists()


def user_has_two_factor(*, user) -> bool:
    return user_has_device(user, confirmed=True)


def two_factor_enrolment_device(*, user) -> TOTPDevice:
    """The authenticator device being enrolled: the unconfirmed one kept between the QR code and its first code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)


@transaction.atomic
def two_factor_enrol_confirm(*, user, token: str) -> list[str]:
    """Confirm the authenticator app with its first code; return new backup codes to show once.

    Raises ValidationError for a wrong or throttled code; nothing changes then.
    """
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        raise ValidationError(_("Scan the QR code again: the enrolment has expired."), code="no_enrolment")
    _verify(device, token)
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    codes = _backup_codes_replace(user)
    _audit(user, "accounts.two_factor_enable")
    return codes


@transaction.atomic
def two_factor_backup_codes_renew(*, user) -> list[str]:
    """Replace the user's backup codes (the old ones stop working); return the new ones to show once."""
    codes = _backup_codes_replace(user)
    _audit(user, "accounts.two_factor_backup_codes")
    return codes


@transaction.atomic
def two_factor_disable(*, user) -> None:
    """Remove the user's devices. Raises ValidationError for users who must keep a second factor."""
    if user_requires_two_factor(user=user):
        raise ValidationError(_("Your role requires two-factor authentication."), code="required")
    for device in devices_for_user(user, confirmed=None):
        device.delete()
    _audit(user, "accounts.two_factor_disable")


@transaction.atomic
def two_factor_reset(*, user) -> None:
    """Remove every device of a user who lost both phone and backup codes; the next admin login enrols again."""
    for device in devices_for_user(user, confirmed=None):
        device.delete()
    _audit(user, "accounts.two_factor_reset")


def two_factor_verify(*, user, token: str):
    """The device that accepts this code: an authenticator's 6 digits, or a backup code (used up).

    Raises ValidationError for a wrong code, or while the device is throttled after wrong codes.
    """
    token = "".join(token.split()).lower()
    if token.isdigit() and len(token) == 6:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    else:
        device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        raise ValidationError(_("This code is not valid. Check it and try again."), code="invalid")
    _verify(device, token)
    return device


def _verify(device, token: str) -> None:
    allowed, extra = device.verify_is_allowed()
    if not allowed:
        if extra and extra.get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS:
            raise ValidationError(
                _("Too many wrong codes: wait a moment before trying again."), code="throttled"
            )
        raise ValidationError(_("Verification is not possible at the moment."), code="not_allowed")
    if not device.verify_token(token):
        raise ValidationError(_("This code is not valid. Check it and try again."), code="invalid")


def _audit(user, action: str) -> None:
    # request.user arrives wrapped in two lazy objects (auth's and django-otp's), in which Wagtail's
    # audit log does not recognise a model and silently logs nothing.
    account = get_user_model()._default_manager.get(pk=user.pk)
    log(account, action, user=account)


def _backup_codes_replace(user) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(user=user, name=BACKUP_CODES_NAME, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _index in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


# --- buyers' account data: saved addresses, favourites, deleting the account


@transaction.atomic
def saved_address_save(*, user, address: ShippingAddress, address_id: int | None = None,
                       is_default: bool = False) -> SavedAddress:
    """Add an address to the user's account, or change one of theirs (``address_id``).

    The address is checked and normalised as checkout does. Raises ValidationError ({field: messages})
    for a bad address, SavedAddress.DoesNotExist for another user's address.
    """
    checked = address_checked(address)
    saved = (SavedAddress.objects.select_for_update().get(user=user, pk=address_id)
             if address_id is not None else SavedAddress(user=user))
    for field in fields(ShippingAddress):
        setattr(saved, field.name, getattr(checked, field.name))
    # One address is always the default: the first one, and the default one until another is chosen.
    saved.is_default = is_default or not SavedAddress.objects.filter(user=user, is_default=True).exclude(pk=saved.pk).exists()
    saved.full_clean()
    saved.save()
    if saved.is_default:
        SavedAddress.objects.filter(user=user, is_default=True).exclude(pk=saved.pk).update(is_default=False)
    return saved


@transaction.atomic
def saved_address_delete(*, user, address_id: int) -> None:
    """Remove one of the user's addresses. Raises SavedAddress.DoesNotExist for another user's."""
    saved = SavedAddress.objects.get(user=user, pk=address_id)
    saved.delete()
    if saved.is_default:
        following = SavedAddress.objects.filter(user=user).first()
        if following is not None:
            SavedAddress.objects.filter(pk=following.pk).update(is_default=True)


@transaction.atomic
def favourite_set(*, user, product_id: int, favourite: bool) -> bool:
    """Keep (``favourite=True``) or drop a product from the user's favourites; returns whether it is kept.

    Raises Product.DoesNotExist for an unknown product.
    """
    product = Product.objects.get(pk=product_id)
    if favourite:
        Favourite.objects.get_or_create(user=user, product=product)
    else:
        Favourite.objects.filter(user=user, product=product).delete()
    return favourite


@transaction.atomic
def account_delete(*, user, password: str) -> None:
    """Delete a buyer's account, confirmed with its password (docs/buyer-accounts.md, "Deleting an account").

    Its addresses, favourites and email addresses go with it; its orders are kept for accounting,
    detached from it. Raises ValidationError for a wrong password, or for staff and sellers' members,
    whose accounts the chamber manages.
    """
    account = get_user_model()._default_manager.select_for_update().get(pk=user.pk)
    if not account.check_password(password):
        raise ValidationError({"password": _("This is not your password.")}, code="wrong_password")
    if account.is_staff or account.is_superuser or account.groups.exists() or _works_for_a_seller(account):
        raise ValidationError(_("Ask the chamber to close an account that works in the admin."), code="managed")
    orders_detach_user(user=account)
    account.delete()


def _works_for_a_seller(account) -> bool:
    # Through the reverse relations the sellers app declares, so that this app does not import it.
    return account.seller_memberships.exists() or account.past_seller_memberships.exists()
