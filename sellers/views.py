from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from wagtail.models import Locale

from config.form_errors import form_errors_add
from config.ratelimit import rate_limited

from .forms import InvitationPasswordForm, SellerRegistrationForm
from .held_uploads import held_upload_file, held_upload_keep, held_upload_token, held_uploads_for, held_uploads_release
from .models import RegistrationGuide, SellerMember
from .selectors import seller_invitation_from_token
from .services import (
    seller_invitation_accept,
    seller_invitation_accept_with_password,
    seller_invitation_decline,
    seller_register,
)


@never_cache
@rate_limited("registration")
def seller_registration(request):
    token = token_error = None
    held = {}
    form = SellerRegistrationForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        # The session's token names the documents held from an earlier attempt (none on a first post).
        posted = request.POST.get("upload_token")
        try:
            token = held_upload_token(session=request.session, posted=posted)
            if posted:
                held = held_uploads_for(token=token)
            else:  # a fresh form: what an abandoned attempt held is not attached unseen
                held_uploads_release(token=token)
        except ValidationError as error:
            token_error, token = error, held_upload_token(session=request.session, posted=None)
        valid = form.is_valid()
        if token_error is not None:
            form.add_error(None, token_error)
            valid = False
        # New uploads that pass the checks are held, whatever else is wrong, and replace older ones.
        for name, upload in form.valid_uploads().items():
            try:
                held[name] = held_upload_keep(token=token, field=name, upload=upload)
            except ValidationError as error:
                form.add_error(name, error)
                valid = False
        if valid:
            documents = {name: held_upload_file(document) for name, document in held.items()}
            try:
                seller_register(form.registration(language=get_language(), documents=documents))
            except ValidationError as error:
                form_errors_add(form, error)
            else:
                held_uploads_release(token=token)
                # The same answer whether the address was new or had an account (whose owner is written
                # to instead): the applicant continues from the email, never logged in from here.
                return redirect("seller_registration_sent")
            finally:
                for document in documents.values():
                    document.close()
    form.show_held(held)
    return render(request, "sellers/seller_registration.html", {"form": form, "upload_token": token})


@never_cache
def seller_registration_sent(request):
    return render(request, "sellers/seller_registration_sent.html")


@never_cache
@login_required
def seller_application(request):
    memberships = SellerMember.objects.filter(user=request.user).select_related("seller", "seller__region")
    guides = {guide.country: guide for guide in RegistrationGuide.objects.filter(locale=Locale.get_active())}
    return render(request, "sellers/seller_application.html", {"memberships": memberships, "guides": guides})


@never_cache
def seller_invitation(request, token):
    """The page an invitation's link opens: accept (logged in as the invited account, or choosing a
    password when the email has no account yet) or decline."""
    invitation = seller_invitation_from_token(token=token)
    if invitation is None:
        return render(request, "sellers/seller_invitation.html", {"invalid": True}, status=404)
    if not invitation.is_open:
        return render(request, "sellers/seller_invitation.html", {"invitation": invitation, "closed": True}, status=410)
    has_account = get_user_model().objects.filter(email__iexact=invitation.email).exists()
    form = None if has_account else InvitationPasswordForm(request.POST if "accept" in request.POST else None)
    errors = []
    if request.method == "POST":
        try:
            if "decline" in request.POST:
                seller_invitation_decline(invitation=invitation, by=request.user)
                messages.success(request, _("You declined the invitation."))
                return render(request, "sellers/seller_invitation.html", {"invitation": invitation, "closed": True})
            if has_account:
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path(), "account_login")
                seller_invitation_accept(invitation=invitation, user=request.user)
            elif form.is_valid():
                member = seller_invitation_accept_with_password(invitation=invitation, password=form.cleaned_data["password"])
                login(request, member.user, backend="django.contrib.auth.backends.ModelBackend")
            else:
                raise ValidationError(_("Check the password below."))
        except PermissionDenied as error:
            errors.append(str(error))
        except ValidationError as error:
            if form is not None and hasattr(error, "error_dict"):
                form_errors_add(form, error)
            else:
                errors.extend(error.messages)
        else:
            messages.success(request, _("Welcome to %(seller)s.") % {"seller": invitation.seller.legal_name})
            return redirect("seller_application")
    wrong_account = has_account and request.user.is_authenticated and request.user.email.lower() != invitation.email
    return render(request, "sellers/seller_invitation.html", {
        "invitation": invitation, "has_account": has_account, "form": form, "errors": errors,
        "wrong_account": wrong_account,
    })
