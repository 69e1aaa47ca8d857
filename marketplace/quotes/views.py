"""The trade buyer's requests for quote on the public site: ask, read the answers, write, accept or turn
down a quote, close a request; and the thread's files, for whoever may read the thread (both sides and
chamber staff). Every view finds the thread through ``thread_side``: another company's or another
seller's thread is not found (404)."""

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
from config.storage import private_file_response
from currency.selectors import base_currency
from marketplace.orders.selectors import order_url
from marketplace.payments.interface import payment_providers
from marketplace.shipping.addresses import ShippingAddress
from marketplace.trade.selectors import trade_buyer_of, trade_company_of

from .forms import AcceptForm, MessageForm, QuoteRequestForm
from .models import Quote, QuoteAttachment, QuoteThread
from .permissions import BUYER, thread_side
from .selectors import crafts_to_ask, products_to_ask, sellers_to_ask, threads_of_company
from .services import (
    RequestLineInput,
    quote_accept,
    quote_message_post,
    quote_reject,
    quote_request_create,
    thread_close,
)

buyer_login_required = login_required(login_url="account_login")


def _providers() -> list[tuple[str, str]]:
    return [(name, f"{provider.label} – {provider.description}") for name, provider in payment_providers().items()]


def _int_or_none(value):
    return int(value) if str(value or "").isdigit() and len(str(value)) < 10 else None


@never_cache
@buyer_login_required
def quote_requests(request):
    company = trade_company_of(request.user)
    if company is None:
        return redirect("trade_apply")
    return render(request, "quotes/requests.html", {
        "company": company, "threads": threads_of_company(company.pk),
        "may_ask": trade_buyer_of(request.user) is not None})


@never_cache
@buyer_login_required
@rate_limited("trade")
def quote_request_new(request):
    buyer = trade_buyer_of(request.user)
    if buyer is None:
        messages.error(request, _("Only a verified trade account can ask for quotes."))
        return redirect("trade_company" if trade_company_of(request.user) else "trade_apply")
    seller_id = _int_or_none(request.GET.get("seller"))
    craft_id = _int_or_none(request.GET.get("craft"))
    sellers = sellers_to_ask(seller_id=seller_id, craft_id=craft_id)
    products = products_to_ask(seller_id) if seller_id and len(sellers) == 1 else []
    form_kwargs = {"sellers": sellers, "products": products}
    if request.method == "POST":
        form = QuoteRequestForm(request.POST, request.FILES, **form_kwargs)
        if form.is_valid():
            data = form.cleaned_data
            line = RequestLineInput(quantity=data["quantity"], description=data["description"],
                                    product_id=data.get("product"), photos=data["photos"])
            try:
                quote_request = quote_request_create(
                    user=request.user, title=data["title"], seller_ids=data["sellers"], lines=[line],
                    destination_country=data["destination_country"], destination_place=data["destination_place"],
                    incoterm=data["incoterm"], needed_by=data["needed_by"], currency=data["currency"],
                    customisation=data["customisation"], target_unit_price=data["target_unit_price"],
                    samples_wanted=data["samples_wanted"], craft_id=craft_id, language=get_language())
            except ValidationError as error:
                form_errors_add(form, error)
            else:
                messages.success(request, _("Request %(reference)s sent to %(count)d seller(s).")
                                 % {"reference": quote_request.reference, "count": len(data["sellers"])})
                return redirect("quote_requests")
    else:
        form = QuoteRequestForm(initial={
            "sellers": [seller.pk for seller in sellers] if seller_id else [],
            "product": _int_or_none(request.GET.get("product")), "currency": request.session.get("currency"),
            "destination_country": trade_company_of(request.user).country}, **form_kwargs)
    return render(request, "quotes/request_new.html", {"form": form, "sellers": sellers, "craft_id": craft_id,
                                                       "seller_id": seller_id, "crafts": crafts_to_ask()})


def _thread_for_buyer(request, pk) -> QuoteThread:
    thread = get_object_or_404(QuoteThread.objects.select_related("request", "request__company", "seller"), pk=pk)
    if thread_side(request.user, thread) != BUYER:
        raise Http404
    return thread


@never_cache
@buyer_login_required
def quote_thread(request, pk):
    thread = _thread_for_buyer(request, pk)
    quotes = list(thread.quotes.prefetch_related("lines").select_related("order").order_by("-number"))
    initial = {"country": thread.request.destination_country, "city": thread.request.destination_place,
               "currency": thread.request.currency, "name": thread.request.company.legal_name}
    acceptances = [(quote, AcceptForm(prefix=f"accept-{quote.pk}", providers=_providers(), initial=initial))
                   for quote in quotes if quote.status == Quote.Status.OPEN and thread.status == QuoteThread.Status.QUOTED]
    return render(request, "quotes/thread.html", {
        "thread": thread, "quote_request": thread.request, "side": BUYER, "base_currency": base_currency(),
        "request_lines": thread.request.lines.prefetch_related("photos"),
        "quotes": quotes, "thread_messages": thread.messages.prefetch_related("attachments"),
        "may_act": trade_buyer_of(request.user) is not None, "acceptances": acceptances,
        "message_form": MessageForm(prefix="message"),
    })


def _messages_from(request, error) -> None:
    for message in getattr(error, "messages", None) or [str(error)]:
        messages.error(request, message)


def _run(request, step, done: str) -> None:
    """Take a service step; what it refuses is shown as errors, what it did as ``done``."""
    try:
        step()
    except (ValidationError, PermissionDenied) as error:
        _messages_from(request, error)
    else:
        messages.success(request, done)


@require_POST
@buyer_login_required
@rate_limited("trade")
def quote_thread_message(request, pk):
    thread = _thread_for_buyer(request, pk)
    form = MessageForm(request.POST, request.FILES, prefix="message")
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("quote_thread", pk)
    _run(request, lambda: quote_message_post(thread=thread, by=request.user, body=form.cleaned_data["body"],
                                             files=form.cleaned_data["files"]), _("Message sent."))
    return redirect("quote_thread", pk)


@require_POST
@buyer_login_required
def quote_thread_close(request, pk):
    thread = _thread_for_buyer(request, pk)
    _run(request, lambda: thread_close(thread=thread, by=request.user), _("Request closed: the seller is told."))
    return redirect("quote_thread", pk)


def _quote_for_buyer(request, pk) -> Quote:
    quote = get_object_or_404(Quote.objects.select_related("thread", "thread__request", "thread__request__company",
                                                           "thread__seller", "order"), pk=pk)
    if thread_side(request.user, quote.thread) != BUYER:
        raise Http404
    return quote


@require_POST
@buyer_login_required
@rate_limited("checkout")
def quote_accept_view(request, pk):
    quote = _quote_for_buyer(request, pk)
    form = AcceptForm(request.POST, prefix=f"accept-{quote.pk}", providers=_providers())
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("quote_thread", quote.thread_id)
    data = form.cleaned_data
    address = ShippingAddress(name=data["name"], line1=data["line1"], line2=data["line2"], city=data["city"],
                              region=data["region"], postal_code=data["postal_code"], country=data["country"],
                              phone=data["phone"])
    try:
        order = quote_accept(quote=quote, by=request.user, address=address, currency=data["currency"],
                             provider_name=data["provider"], language=get_language())
    except (ValidationError, PermissionDenied) as error:
        _messages_from(request, error)
        return redirect("quote_thread", quote.thread_id)
    messages.success(request, _("Quote accepted: it is now order %(reference)s. Pay the amount due to start it.")
                     % {"reference": order.reference})
    return redirect(order_url(order))


@require_POST
@buyer_login_required
def quote_reject_view(request, pk):
    quote = _quote_for_buyer(request, pk)
    _run(request, lambda: quote_reject(quote=quote, by=request.user), _("Quote turned down: the seller is told."))
    return redirect("quote_thread", quote.thread_id)


@buyer_login_required
def quote_order(request, pk):
    quote = _quote_for_buyer(request, pk)
    if quote.order is None:
        raise Http404
    return redirect(order_url(quote.order))


@never_cache
@buyer_login_required
def quote_file(request, pk):
    """A file of the thread (a message's, a requested line's photo), for whoever may read the thread."""
    attachment = get_object_or_404(QuoteAttachment.objects.select_related("message", "request_line"), pk=pk)
    thread = attachment.message.thread if attachment.message_id else None
    if thread is None:
        threads = QuoteThread.objects.filter(request_id=attachment.request_line.request_id)
        if not any(thread_side(request.user, candidate) for candidate in threads.select_related("request")):
            raise Http404
    elif thread_side(request.user, thread) is None:
        raise Http404
    response = private_file_response(attachment.file, content_type=attachment.content_type,
                                     as_attachment=not attachment.content_type.startswith("image/"),
                                     filename=attachment.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@never_cache
@buyer_login_required
def quote_proforma(request, pk):
    quote = get_object_or_404(Quote.objects.select_related("thread", "thread__request"), pk=pk)
    if thread_side(request.user, quote.thread) is None or not quote.proforma:
        raise Http404
    return private_file_response(quote.proforma, content_type="application/pdf",
                                 filename=f"{quote.reference}-proforma.pdf")
