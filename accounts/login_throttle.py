"""Login throttling on top of django-axes, kept in the database so that it works while Redis is down.

Axes locks out when the failures counted by any of its lockout parameters reach one limit. We count
two things that deserve different limits: failures for one account from one address (a guesser at
one password) and failures from one address over all accounts (a guesser spraying accounts, which
from a shared office or NAT may include honest typos, hence a higher limit).
"""

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Sum
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class PerAccountAndAddressHandler(AxesDatabaseHandler):
    """Lock out at AXES_FAILURE_LIMIT failures per (username, address), or LOGIN_IP_FAILURE_LIMIT per address.

    Expects `AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]`.
    """

    def get_failures(self, request, credentials=None) -> int:
        per_account_and_address, per_address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        # Scaled so that reaching the per-address limit counts as reaching the one Axes compares with.
        limit = settings.AXES_FAILURE_LIMIT
        return max(per_account_and_address, per_address * limit // settings.LOGIN_IP_FAILURE_LIMIT)

    def reset_user_attempts(self, request, credentials=None) -> int:
        # A success clears that account's failures from that address only: Axes would also clear every
        # failure from the address, so that one account of his own would let a sprayer start afresh.
        account_and_address = self.filter_user_attempts(request, credentials)[0]
        count, _ = account_and_address.delete()
        return count


def lockout_response(request, original_response=None, credentials=None):
    """The page shown to a locked-out login: why and for how long, never whether the account exists."""
    cool_off = settings.AXES_COOLOFF_TIME
    in_admin = request.path.startswith(reverse("wagtailadmin_home"))
    response = render(
        request,
        "accounts/admin_login_locked_out.html" if in_admin else "accounts/login_locked_out.html",
        {"message": _("Too many failed login attempts. Try again in %(minutes)d minutes.")
         % {"minutes": max(1, int(cool_off.total_seconds() // 60))}},
        status=429,
    )
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response


def login_name(request, credentials=None) -> str | None:
    """The account a login tries, as one name however it is typed: its username.

    The admin's form sends a username or an email address ("username"), allauth's form an email address
    ("login", authenticated as "email"), and Axes names a successful login by its username; counting
    each account under one name makes a success clear its failures and the two spellings share one limit.
    A name that matches no account is counted as typed (lower-cased).
    """
    credentials = credentials or {}
    name = credentials.get("username") or credentials.get("email")
    if not name and request is not None:
        data = getattr(request, "POST", {})
        name = data.get("username") or data.get("login")
    if not isinstance(name, str):
        return name
    name = name.strip()
    if "@" in name:
        usernames = list(get_user_model()._default_manager.filter(email__iexact=name)
                         .values_list(get_user_model().USERNAME_FIELD, flat=True)[:2])
        if len(usernames) == 1:
            return usernames[0]
    return name if get_user_model()._default_manager.filter(**{get_user_model().USERNAME_FIELD: name}).exists() \
        else name.lower()
