"""The trade buyer's pages on the public site: apply for a trade account, and the company's page.
Signed-in users only; each reads or writes the user's own company."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from config.form_errors import form_errors_add
from config.ratelimit import rate_limited

from .forms import TradeApplicationForm
from .selectors import trade_company_of
from .services import trade_company_apply

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
    return render(request, "trade/company.html", {
        "company": company, "members": company.members.select_related("user"),
        "documents": company.documents.all(),
        "is_manager": company.members.filter(user=request.user, role="manager").exists(),
    })
