"""Two-factor authentication in the Wagtail admin: the admin (and the documents it keeps, served under
/documents/) opens only to a verified session.

After the password, an admin user with a device gives a code (`accounts_two_factor_verify`); a user
whose role requires a second factor and who has none is sent to enrol (`accounts_two_factor_setup`).
Other admin users (sellers' members) may enrol; the buyers' site never asks for a second factor.
"""

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .services import user_has_two_factor, user_requires_two_factor

# Admin URLs a user reaches before the second factor: signing in and out, resetting the password,
# the two-factor steps themselves, and the icons and translations their pages load.
OPEN_ADMIN_URL_NAMES = {
    "wagtailadmin_sprite",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_password_reset",
    "wagtailadmin_password_reset_done",
    "wagtailadmin_password_reset_confirm",
    "wagtailadmin_password_reset_complete",
    "accounts_two_factor_verify",
    "accounts_two_factor_setup",
}


# Outside /admin/ but behind the same door: sellers' private documents, which chamber staff may open.
PROTECTED_URL_NAMES = {"wagtaildocs_serve", "wagtaildocs_authenticate_with_password"}


class AdminTwoFactorMiddleware:
    """Sends an admin user without a verified second factor to the code step, or to enrolment.

    Placed after django_otp's OTPMiddleware, which gives `request.user.is_verified()`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(settings, "TWO_FACTOR_ENFORCED", True):  # switched off in the test settings only
            return None
        match = request.resolver_match
        if match is None or match.url_name in OPEN_ADMIN_URL_NAMES:
            return None
        if not (request.path_info.startswith(reverse("wagtailadmin_home")) or match.url_name in PROTECTED_URL_NAMES):
            return None
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if user_has_two_factor(user=user):
            step = "accounts_two_factor_verify"
        elif user_requires_two_factor(user=user):
            step = "accounts_two_factor_setup"
        else:
            return None
        return redirect(f"{reverse(step)}?{urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})}")
