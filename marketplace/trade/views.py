"""The trade buyer's pages on the public site: apply for a trade account, and the company's page.
Signed-in users only; each reads or writes the user's own company."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from config.form_errors import form_errors_add
from config.ratelimit import rate_limited

from .forms import TradeApplicationForm, TradeInviteForm
from .models import TradeInvitation, TradeMember
from .selectors import trade_company_of
from .services import (
    trade_company_apply,
    trade_invitation_accept,
    trade_invitation_from_token,
    trade_invitation_revoke,
    trade_member_invite,
    trade_member_remove,
    trade_member_role_change,
)

buyer_login_required = login_required(login_url="account_login")


@never_cache
@buyer_login_required
@rate_limited("trade")
def trade_apply(request):
    if trade_company_of(request.user) is not None:
        return redirect("trade_company")
    if request.method == "POST":
        form = TradeApplicationForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                trade_company_apply(user=request.user, legal_name=data["legal_name"], country=data["country"],
                                    register_number=data["register_number"], vat_number=data["vat_number"],
                                    eori_number=data["eori_number"], website=data["website"],
                                    language=data["language"], documents=data["documents"])
            except ValidationError as error:
                form_errors_add(form, error)
            else:
                messages.success(request, _("Thank you: the chamber checks your company and writes to you."))
                return redirect("trade_company")
    else:
        form = TradeApplicationForm(initial={"language": get_language()})
    return render(request, "trade/apply.html", {"form": form})


@never_cache
@buyer_login_required
def trade_company(request):
    company = trade_company_of(request.user)
    if company is None:
        return redirect("trade_apply")
    is_manager = company.members.filter(user=request.user, role=TradeMember.Role.MANAGER).exists()
    return render(request, "trade/company.html", {
        "company": company, "members": company.members.select_related("user"),
        "documents": company.documents.all(), "is_manager": is_manager, "roles": TradeMember.Role.choices,
        "invitations": company.invitations.filter(status=TradeInvitation.Status.PENDING) if is_manager else [],
        "invite_form": TradeInviteForm(),
    })


def _own_company_or_404(request):
    company = trade_company_of(request.user)
    if company is None:
        raise Http404
    return company


def _messages_from(request, error: ValidationError | PermissionDenied) -> None:
    for message in getattr(error, "messages", None) or [str(error)]:
        messages.error(request, message)


@require_POST
@buyer_login_required
@rate_limited("trade")
def trade_member_invite_view(request):
    company = _own_company_or_404(request)
    form = TradeInviteForm(request.POST)
    if form.is_valid():
        try:
            trade_member_invite(company=company, email=form.cleaned_data["email"], role=form.cleaned_data["role"],
                                by=request.user)
        except (ValidationError, PermissionDenied) as error:
            _messages_from(request, error)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]})
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("trade_company")


@require_POST
@buyer_login_required
def trade_invitation_revoke_view(request, pk):
    company = _own_company_or_404(request)
    invitation = get_object_or_404(TradeInvitation, pk=pk, company=company)
    try:
        trade_invitation_revoke(invitation=invitation, by=request.user)
    except (ValidationError, PermissionDenied) as error:
        _messages_from(request, error)
    return redirect("trade_company")


@require_POST
@buyer_login_required
def trade_member_change_view(request, pk):
    company = _own_company_or_404(request)
    member = get_object_or_404(TradeMember.objects.select_related("user", "company"), pk=pk, company=company)
    try:
        if "remove" in request.POST:
            trade_member_remove(member=member, by=request.user)
            if member.user_id == request.user.pk:  # left the company: its page is no longer theirs
                return redirect("account_overview")
        else:
            trade_member_role_change(member=member, role=request.POST.get("role", ""), by=request.user)
    except (ValidationError, PermissionDenied) as error:
        _messages_from(request, error)
    return redirect("trade_company")


@never_cache
@buyer_login_required
def trade_invitation(request, token):
    invitation = trade_invitation_from_token(token)
    if invitation is None:
        raise Http404(_("This invitation link is not valid: ask for a new one."))
    if request.method == "POST":
        try:
            trade_invitation_accept(invitation=invitation, user=request.user)
        except (ValidationError, PermissionDenied) as error:
            _messages_from(request, error)
        else:
            messages.success(request, _("You now buy for %(company)s.") % {"company": invitation.company.legal_name})
            return redirect("trade_company")
    return render(request, "trade/invitation.html", {"invitation": invitation,
                                                     "for_this_account": (request.user.email or "").lower()
                                                     == invitation.email})
