"""Orders and buyers' accounts: guest orders attached once the email is verified, detached when the
account is deleted."""

import logging

from django.db import transaction

from ..models import Order

logger = logging.getLogger(__name__)

@transaction.atomic
def orders_attach_to_user(*, user, email: str) -> int:
    """Give the account the guest orders placed with this email address; returns how many.

    Call it only once the address is verified as the user's (allauth's ``email_confirmed``): the
    orders of an address someone merely typed must never become theirs. Orders already on an
    account stay where they are.
    """
    if not user or not user.pk or not email:
        return 0
    return Order.objects.filter(user__isnull=True, email__iexact=email.strip()).update(user=user)


@transaction.atomic
def orders_detach_user(*, user) -> int:
    """Take the account's orders off it before the account is deleted; returns how many.

    The orders themselves are kept (invoices and export documents must be kept for accounting), with
    the email and address they were placed with; their private link still opens them.
    """
    return Order.objects.filter(user=user).update(user=None)
