"""Basket, checkout and order pages. None of them is ever served from the page cache."""

import secrets
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from catalog.models import Product
from config.public_urls import public_url
from config.ratelimit import rate_limited
from customs.models import Incoterm
from marketplace.basket.services import Basket
from marketplace.orders.selectors import (
    document_urls_for_buyer,
    order_dates_expected,
    order_duties_view,
    order_figures,
    order_for_link,
    order_headline_status,
    order_of_placement,
    order_url,
    orders_of,
    orders_of_company,
    seller_order_timeline,
)
from marketplace.orders.services import OrderRequest, order_place
from marketplace.payments.interface import PaymentProviderError, payment_provider, payment_providers
from marketplace.payments.selectors import payment_open
from marketplace.payments.services import payment_start
from marketplace.shipping.countries import country_choices, country_name
from marketplace.trade.selectors import trade_buyer_of, trade_company_of
from sellers.fields import MAX_ID

from .forms import CheckoutForm
from .selectors import basket_summary, saved_addresses_for_checkout

CHECKOUT_SESSION_KEY = "checkout"
# One key per checkout attempt, carried by the review page's form: the order placed with it is found
# again by a repeated or concurrent post of that form (Order.placement_key).
CHECKOUT_ATTEMPT_SESSION_KEY = "checkout_attempt"
# The country the buyer chose on the basket page for the shipping estimate: the checkout starts with it.
BASKET_COUNTRY_SESSION_KEY = "basket_country"


def _same_origin(request) -> bool:
    """Whether a POST comes from this site, told by the browser's Origin (or Referer) header."""
    source = request.headers.get("Origin") or request.headers.get("Referer")
    if not source or source == "null":
        return False
    parts = urlsplit(source)
    origin = f"{parts.scheme}://{parts.netloc}"
    return origin == f"{request.scheme}://{request.get_host()}" or origin in settings.CSRF_TRUSTED_ORIGINS


def _quantity(value, default: int) -> int:
    try:
        return max(0, min(int(value), 100_000))
    except (TypeError, ValueError):
        return default


def _product_id(value) -> int:
    """The posted product's id, or 0 (no product) when it is not a whole number a database can hold."""
    try:
        product_id = int(value)
    except (TypeError, ValueError):
        return 0
    return product_id if 0 < product_id <= MAX_ID else 0


# Product pages are served from the shared page cache, so their "add to basket" form can't carry a
# visitor's CSRF token. The browser's Origin header is checked instead (and session cookies are
# SameSite=Lax, so another site's form never reaches a visitor's basket anyway).
@csrf_exempt
@require_POST
@rate_limited("basket")
def basket_add(request):
    if not _same_origin(request):
        raise PermissionDenied(_("Add products from this site's pages."))
    product = get_object_or_404(Product.objects.select_related("seller"), pk=_product_id(request.POST.get("product")))
    try:
        Basket(request).add(product, _quantity(request.POST.get("quantity"), product.min_order_quantity))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Added to your basket."))
    return redirect("basket")


@require_POST
@rate_limited("basket")
def basket_update(request):
    product = get_object_or_404(Product.objects.select_related("seller"), pk=_product_id(request.POST.get("product")))
    quantity = 0 if "remove" in request.POST else _quantity(request.POST.get("quantity"), 1)
    try:
        Basket(request).set(product, quantity)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(f"{reverse('basket')}?{urlencode({'country': request.POST.get('country', '')})}")


@never_cache
def basket_detail(request):
    saved = request.session.get(CHECKOUT_SESSION_KEY, {})
    chosen = request.GET.get("country")
    country = str(chosen or request.session.get(BASKET_COUNTRY_SESSION_KEY) or saved.get("country") or "").upper()
    countries = country_choices()
    if country not in dict(countries):  # a code typed into the address, or one not offered
        country = ""
    elif chosen:
        request.session[BASKET_COUNTRY_SESSION_KEY] = country
    summary = basket_summary(Basket(request).items(), currency=request.currency, country=country,
                             buyer=trade_buyer_of(request.user))
    return render(request, "marketplace/basket.html", {
        "summary": summary, "country": country, "countries": countries,
        "country_name": country_name(country) if country else "",
    })


@never_cache
@rate_limited("checkout")
def checkout(request):
    basket = Basket(request)
    if not basket.lines():
        messages.info(request, _("Your basket is empty."))
        return redirect("basket")
    saved = request.session.get(CHECKOUT_SESSION_KEY)
    addresses = saved_addresses_for_checkout(request.user)
    if request.method == "POST":
        form = CheckoutForm(request.POST, user=request.user)
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in form.fields}
            summary = basket_summary(basket.items(), currency=request.currency, country=data["country"],
                                     incoterm=data["incoterm"], buyer=trade_buyer_of(request.user))
            offer_problems = [line.problem for line in summary.lines if line.problem]
            if summary.shipping_problem:
                form.add_error("country", summary.shipping_problem)
            elif offer_problems:
                for problem in offer_problems:
                    form.add_error("country", problem)
            else:
                request.session[CHECKOUT_SESSION_KEY] = data
                return redirect("checkout_review")
    else:
        initial = saved or {}
        if not initial.get("country") and request.session.get(BASKET_COUNTRY_SESSION_KEY):
            initial = {**initial, "country": request.session[BASKET_COUNTRY_SESSION_KEY]}
        chosen = next((fields for pk, _label, fields in addresses if str(pk) == request.GET.get("address")), None)
        if chosen is None and not saved and addresses:
            chosen = addresses[0][2]  # the default saved address
        form = CheckoutForm(initial={**initial, **(chosen or {})}, user=request.user)
    return render(request, "marketplace/checkout.html", {
        "form": form, "signed_in": request.user.is_authenticated,
        "saved_addresses": addresses,
    })


@never_cache
@rate_limited("checkout")
def checkout_review(request):
    if request.method == "POST":
        # A second post of a form already placed (a double click, a retry, a concurrent request) gets
        # the order the first one placed, whatever the basket and session hold by now.
        placed = order_of_placement(request.POST.get("attempt", ""))
        if placed is not None:
            return _pay_once(request, placed)
    basket = Basket(request)
    data = request.session.get(CHECKOUT_SESSION_KEY)
    if not data:
        return redirect("checkout")
    if not basket.lines():
        return redirect("basket")
    summary = basket_summary(basket.items(), currency=request.currency, country=data["country"],
                             incoterm=data.get("incoterm", Incoterm.DDP), buyer=trade_buyer_of(request.user))
    attempt = request.session.get(CHECKOUT_ATTEMPT_SESSION_KEY)
    if request.method == "POST" and summary.orderable:
        if not attempt or request.POST.get("attempt") != attempt:
            messages.error(request, _("This page was out of date. Check your order and place it again."))
            return redirect("checkout_review")
        return _place(request, basket, data, attempt)
    if not summary.orderable:
        problems = {line.problem for line in summary.lines} | {summary.shipping_problem}
        for problem in sorted(problems - {""}):
            messages.error(request, problem)
        if summary.shortfalls:
            messages.error(request, _("An order from a seller must reach its minimum: see your basket."))
        return redirect("basket")
    if not attempt:
        attempt = request.session[CHECKOUT_ATTEMPT_SESSION_KEY] = secrets.token_urlsafe(32)
    return render(request, "marketplace/checkout_review.html", {
        "summary": summary, "data": data, "address": CheckoutForm.address_from(data),
        "country_name": country_name(data["country"]), "provider": payment_provider(data["payment"]),
        "attempt": attempt,
    })


def _place(request, basket, data, attempt):
    try:
        order = order_place(
            requests=[OrderRequest(product_id, quantity) for product_id, quantity in basket.lines().items()],
            email=data["email"], user=request.user, address=CheckoutForm.address_from(data),
            currency=request.currency, provider_name=data["payment"], language=get_language(),
            placement_key=attempt, incoterm=data.get("incoterm", Incoterm.DDP),
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("basket")
    basket.clear()
    request.session.pop(CHECKOUT_SESSION_KEY, None)
    request.session.pop(CHECKOUT_ATTEMPT_SESSION_KEY, None)
    return _pay_once(request, order)


def _pay_once(request, order):
    """To the payment already opened for the order if there is one (a concurrent post of the same
    attempt opened it), else open it."""
    opened = payment_open(order=order)
    if opened is not None and opened.redirect_url:
        return HttpResponseRedirect(opened.redirect_url)
    return _pay(request, order)


def _pay(request, order):
    page = public_url(order_url(order), request)
    try:
        payment = payment_start(order=order, success_url=f"{page}?paid=1", cancel_url=f"{page}?cancelled=1")
    except PaymentProviderError:
        messages.error(request, _("The payment page could not be opened. Your order is kept: try again in a moment."))
        return HttpResponseRedirect(order_url(order))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return HttpResponseRedirect(order_url(order))
    return HttpResponseRedirect(payment.redirect_url)


@never_cache
def order_detail(request, reference, token):
    order = order_for_link(reference, token)
    if order is None:
        raise Http404(_("No order at this address. Use the link of your confirmation email."))
    provider = payment_providers().get(order.payment_provider)
    seller_orders = list(order.seller_orders.select_related("seller").order_by("reference"))
    shipping_parts, delivery_by = order_dates_expected(order, order.shipping_parts.select_related("seller"))
    return render(request, "marketplace/order_detail.html", {
        "order": order,
        "headline": order_headline_status(order, seller_orders),
        "delivery_by": delivery_by,
        "lines": order.lines.select_related("seller"),
        "parts": [(part, part.price) for part in shipping_parts],
        "seller_parts": [(part, seller_order_timeline(part), document_urls_for_buyer(order, part))
                         for part in seller_orders],
        "provider": provider,
        "instructions": provider.instructions(order) if provider and provider.offline else None,
        "country_name": country_name(order.ship_country),
        "duties": order_duties_view(order),
        "returned_from_payment": "paid" in request.GET,
        "payment_cancelled": "cancelled" in request.GET,
    })


@never_cache
def order_detail_json(request, reference, token):
    """The order's figures for programs (the same private link as the page): goods, shipping, each duty
    and tax with whether it was collected or is due on delivery, and the totals, as stored."""
    order = order_for_link(reference, token)
    if order is None:
        raise Http404
    return JsonResponse(order_figures(order), json_dumps_params={"ensure_ascii": False})


@require_POST
@rate_limited("checkout")
def order_pay(request, reference, token):
    order = order_for_link(reference, token)
    if order is None:
        raise Http404
    return _pay(request, order)


@never_cache
@login_required(login_url="account_login")
def account_orders(request):
    return render(request, "marketplace/account_orders.html", {"orders": orders_of(request.user)})


@never_cache
@login_required(login_url="account_login")
def trade_company_orders(request):
    """Every order of the user's trade company, whoever of its users placed it."""
    company = trade_company_of(request.user)
    if company is None:
        return redirect("trade_apply")
    return render(request, "marketplace/account_orders.html", {
        "orders": orders_of_company(company.pk), "company": company})
