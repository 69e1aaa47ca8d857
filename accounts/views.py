"""The admin's two-factor steps: the code after the password, and enrolment (QR code, backup codes)."""

from base64 import b32encode

import segno
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from .forms import TwoFactorCodeForm
from .services import (
    two_factor_backup_codes_renew,
    two_factor_disable,
    two_factor_enrol_confirm,
    two_factor_enrolment_device,
    two_factor_verify,
    user_has_two_factor,
    user_requires_two_factor,
)


def _next_url(request) -> str:
    target = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("wagtailadmin_home")


@never_cache
@sensitive_post_parameters("token")
def two_factor_verify_view(request):
    user = request.user
    if not user_has_two_factor(user=user):
        return redirect("accounts_two_factor_setup")
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = two_factor_verify(user=user, token=form.cleaned_data["token"])
        except ValidationError as error:
            form.add_error("token", error)
        else:
            otp_login(request, device)
            return redirect(_next_url(request))
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": _next_url(request)})


@never_cache
@sensitive_post_parameters("token")
def two_factor_setup_view(request):
    user = request.user
    enrolled = user_has_two_factor(user=user)
    if enrolled and not user.is_verified():
        # Devices are managed from a verified session only: a stolen password must not replace them.
        return redirect(f"{reverse('accounts_two_factor_verify')}?{REDIRECT_FIELD_NAME}={request.path}")
    form = TwoFactorCodeForm(request.POST or None)
    action = request.POST.get("action")
    if request.method == "POST" and not enrolled and action == "confirm" and form.is_valid():
        try:
            codes = two_factor_enrol_confirm(user=user, token=form.cleaned_data["token"])
        except ValidationError as error:
            form.add_error("token", error)
        else:
            otp_login(request, TOTPDevice.objects.get(user=user, confirmed=True))
            return _backup_codes_page(request, codes)
    elif request.method == "POST" and enrolled and action == "renew_codes":
        return _backup_codes_page(request, two_factor_backup_codes_renew(user=user))
    elif request.method == "POST" and enrolled and action == "disable":
        try:
            two_factor_disable(user=user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Two-factor authentication is turned off."))
        return redirect("accounts_two_factor_setup")

    context = {"form": form, "enrolled": enrolled, "required": user_requires_two_factor(user=user),
               "next": _next_url(request)}
    if not enrolled:
        device = two_factor_enrolment_device(user=user)
        context["qr_svg"] = segno.make(device.config_url, error="m").svg_inline(scale=5)
        context["secret"] = b32encode(device.bin_key).decode()
    return render(request, "accounts/two_factor_setup.html", context)


def _backup_codes_page(request, codes):
    return render(request, "accounts/two_factor_backup_codes.html", {"codes": codes, "next": _next_url(request)})
