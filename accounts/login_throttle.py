"""Login throttling on top of django-axes, kept in the database so that it works while Redis is down.

Axes locks out when the failures counted by any of its lockout parameters reach one limit. We count
two things that deserve different limits: failures for one account from one address (a guesser at
one password) and failures from one address over all accounts (a guesser spraying accounts, which
from a shared office or NAT may include honest typos, hence a higher limit).
"""

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
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
    """The login being tried, whichever form sent it: the admin's "username", allauth's "login" (as "email")."""
    credentials = credentials or {}
    name = credentials.get("username") or credentials.get("email")
    if not name and request is not None:
        data = getattr(request, "POST", {})
        name = data.get("username") or data.get("login")
    return name.strip().lower() if isinstance(name, str) else name
