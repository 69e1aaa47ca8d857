"""The chamber's decisions on sellers: verify, reject, suspend, reinstate.

Each function validates, writes in one transaction and queues its emails on commit.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from config.public_urls import public_base_url
from outbox.services import outbox_enqueue

from ..models import Seller
from ..registers import register_number_normalise
from ..signals import seller_status_changed
from .registration import register_number_taken_error

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
