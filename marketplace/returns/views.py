"""The buyer's side of returns, under the order's private link (a guest's, or the account's from its
order list): ask to return lines of a delivered part, enter the return tracking, cancel before
sending. Each view parses the form and calls one service."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from config.form_errors import form_errors_add
from config.ratelimit import rate_limited
from marketplace.orders.models import Order, SellerOrder
from marketplace.orders.selectors import order_for_link, order_url

from .forms import ReturnRequestForm, ReturnSendForm
from .selectors import return_eligibility, return_for_order
from .services import return_cancel, return_request_create, return_send


def _order(reference, token) -> Order:
    order = order_for_link(reference, token)
    if order is None:
        raise Http404(_("No order at this address. Use the link of your confirmation email."))
    return order


def _part(order: Order, part_reference: str) -> SellerOrder:
    part = order.seller_orders.select_related("seller", "order").filter(reference=part_reference[:24]).first()
    if part is None:
        raise Http404(_("No such part of this order."))
    return part


@never_cache
@require_http_methods(["GET", "POST"])
@rate_limited("checkout")
def return_new(request, reference, token, part):
    order = _order(reference, token)
    seller_order = _part(order, part)
    eligibility = return_eligibility(seller_order=seller_order)
    if not eligibility.open:
        messages.error(request, _("Nothing of this part can be returned."))
        return redirect(order_url(order))
    form = ReturnRequestForm(request.POST or None, eligibility=eligibility)
    if request.method == "POST" and form.is_valid():
        try:
            return_request_create(seller_order=seller_order, quantities=form.quantities(),
                                  reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            messages.success(request, _("Your return request is sent to the seller. We will email you their answer."))
            return redirect(order_url(order))
    return render(request, "returns/return_new.html", {
        "order": order, "seller_order": seller_order, "eligibility": eligibility, "form": form,
        "order_url": order_url(order),
    }, status=400 if form.is_bound and form.errors else 200)


@require_POST
@rate_limited("checkout")
def return_send_view(request, reference, token, return_reference):
    order = _order(reference, token)
    return_request = return_for_order(order=order, reference=return_reference)
    if return_request is None:
        raise Http404
    form = ReturnSendForm(request.POST)
    if form.is_valid():
        try:
            return_send(return_request=return_request, carrier=form.cleaned_data["carrier"],
                        tracking_number=form.cleaned_data["tracking_number"])
        except ValidationError as error:
            form_errors_add(form, error)
    if form.errors:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    else:
        messages.success(request, _("Thank you: the seller is told your parcel is on its way."))
    return redirect(order_url(order))


@require_POST
@rate_limited("checkout")
def return_cancel_view(request, reference, token, return_reference):
    order = _order(reference, token)
    return_request = return_for_order(order=order, reference=return_reference)
    if return_request is None:
        raise Http404
    try:
        return_cancel(return_request=return_request)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Your return is cancelled."))
    return redirect(order_url(order))
