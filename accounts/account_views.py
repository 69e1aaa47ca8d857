"""The buyer's account area (/<lang>/account/): overview, saved addresses, favourites, data export, deletion.

Thin views: each parses the input, calls one service or selector and renders. Every view here is for
the signed-in user and reads or writes only that user's own records.
"""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from catalog.models import Product
from config.form_errors import form_errors_add
from marketplace.orders.selectors import orders_of
from marketplace.shipping.addresses import ShippingAddress
from marketplace.shipping.countries import country_choices, country_name

from .forms import AccountDeleteForm, SavedAddressForm
from .models import SavedAddress
from .selectors import account_data_export, favourites_of, saved_address_of, saved_addresses_of
from .services import account_delete, favourite_set, saved_address_delete, saved_address_save

# LOGIN_URL is the admin's login; buyers sign in on the site's own page.
buyer_login_required = login_required(login_url="account_login")

ADDRESS_FIELDS = ("name", "line1", "line2", "city", "region", "postal_code", "country", "phone")


@never_cache
@buyer_login_required
def account_overview(request):
    return render(request, "accounts/account_overview.html", {
        "orders": orders_of(request.user)[:3],
        "addresses": saved_addresses_of(user=request.user)[:1],
        "favourite_count": request.user.favourites.count(),
    })


@never_cache
@buyer_login_required
def address_list(request):
    addresses = [(address, country_name(address.country)) for address in saved_addresses_of(user=request.user)]
    return render(request, "accounts/address_list.html", {"addresses": addresses})


@never_cache
@buyer_login_required
@sensitive_post_parameters()
def address_edit(request, address_id=None):
    saved = None
    if address_id is not None:
        saved = saved_address_of(user=request.user, address_id=address_id)
        if saved is None:
            raise Http404
    if request.method == "POST":
        form = SavedAddressForm(request.POST, country_choices=country_choices())
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved_address_save(
                    user=request.user, address_id=saved.pk if saved else None, is_default=data["is_default"],
                    address=ShippingAddress(**{name: data[name] or "" for name in ADDRESS_FIELDS}),
                )
            except ValidationError as error:
                form_errors_add(form, error)
            else:
                messages.success(request, _("Address saved."))
                return redirect("account_addresses")
    else:
        initial = {name: getattr(saved, name) for name in (*ADDRESS_FIELDS, "is_default")} if saved else {}
        form = SavedAddressForm(initial=initial, country_choices=country_choices())
    return render(request, "accounts/address_form.html", {"form": form, "address": saved})


@require_POST
@buyer_login_required
def address_delete(request, address_id):
    try:
        saved_address_delete(user=request.user, address_id=address_id)
    except SavedAddress.DoesNotExist:
        raise Http404 from None
    messages.success(request, _("Address deleted."))
    return redirect("account_addresses")


@never_cache
@buyer_login_required
def favourite_list(request):
    return render(request, "accounts/favourite_list.html",
                  {"favourites": favourites_of(user=request.user, language=get_language())})


@require_POST
@buyer_login_required
def favourite_toggle(request):
    """Keep or drop a product ("favourite" = "1" or "0"), then back to the page the buyer came from."""
    try:
        product_id = int(request.POST.get("product", ""))
        favourite_set(user=request.user, product_id=product_id, favourite=request.POST.get("favourite") == "1")
    except (ValueError, OverflowError, Product.DoesNotExist):
        raise Http404 from None
    # No message: the heart itself shows the new state (aria-pressed) on the page the buyer returns to.
    following = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(following, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        return redirect("account_favourites")
    return redirect(following)


@never_cache
@buyer_login_required
def data_export(request):
    """The account's data as a JSON download."""
    data = account_data_export(user=request.user)
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="souk-export-account-{timezone.now():%Y%m%d}.json"'
    return response


@never_cache
@buyer_login_required
@sensitive_post_parameters("password")
def delete(request):
    form = AccountDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account_delete(user=request.user, password=form.cleaned_data["password"])
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            logout(request)
            messages.success(request, _("Your account has been deleted."))
            return redirect("/")
    return render(request, "accounts/account_delete.html", {"form": form})
