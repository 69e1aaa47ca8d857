"""Requests for quote in the Wagtail admin: each seller's members see and answer their own seller's
threads, chamber staff see every thread (the unanswered and flagged ones first) and may write in it.
Threads change only through the services; the views here list them, show them and hand a form's data
to a service."""

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views.generic import IndexView, InspectView, PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet

from currency.selectors import base_currency

from .forms import DeclineForm, MessageForm, QuoteForm, QuoteLineFormSet
from .models import Quote, QuoteThread
from .permissions import SELLER, thread_side
from .services import (
    THREAD_TRANSITIONS,
    QuoteLineInput,
    quote_message_post,
    quote_send,
    quote_withdraw,
    thread_decline,
)

Status = QuoteThread.Status


class QuoteThreadFilterSet(WagtailFilterSet):
    queue = django_filters.ChoiceFilter(
        label=_("Queue"), method="filter_queue", empty_label=_("All requests"),
        choices=[("to_answer", _("To answer")), ("late", _("Not answered by the target")),
                 ("flagged", _("Flagged to the chamber"))])

    class Meta:
        model = QuoteThread
        fields = ["status"]

    def filter_queue(self, queryset, name, value):
        if value == "to_answer":
            return queryset.filter(status=Status.AWAITING_QUOTE)
        if value == "late":
            return queryset.filter(status=Status.AWAITING_QUOTE, respond_by__lte=timezone.now())
        return queryset.filter(flagged_at__isnull=False, status=Status.AWAITING_QUOTE)


class QuoteThreadIndexView(IndexView):
    def get_base_queryset(self):
        return (self.permission_policy.instances_user_has_permission_for(self.request.user, "view")
                .select_related("request", "request__company", "seller")
                .annotate(waiting=Case(When(status=Status.AWAITING_QUOTE, then=Value(0)), default=Value(1),
                                       output_field=IntegerField()))
                .order_by("waiting", "-updated_at", "-pk"))


class QuoteThreadInspectView(InspectView):
    template_name = "quotes/admin/thread_inspect.html"
    page_title = _("Request for quote")

    def get_object(self, queryset=None):
        queryset = self.permission_policy.instances_user_has_permission_for(self.request.user, "view")
        return get_object_or_404(queryset.select_related("request", "request__company", "seller"), pk=self.pk)

    def get_page_subtitle(self):
        return f"{self.object.request.reference} · {self.object.seller.legal_name}"

    def get_context_data(self, **kwargs):
        thread = self.object
        side = thread_side(self.request.user, thread)
        answering = side == SELLER and thread.status in THREAD_TRANSITIONS["quote"]
        request_lines = list(thread.request.lines.select_related("product").prefetch_related("photos"))
        initial_lines = [{"product": line.product_id, "description": line.description, "quantity": line.quantity,
                          "hs_code": line.product.hs_code if line.product else "",
                          "weight_grams": line.product.weight_grams if line.product else None}
                         for line in request_lines]
        return super().get_context_data(
            thread=thread, quote_request=thread.request, request_lines=request_lines, side=side,
            quotes=thread.quotes.prefetch_related("lines").order_by("-number"),
            thread_messages=thread.messages.select_related("author").prefetch_related("attachments"),
            quote_form=QuoteForm(prefix="quote", initial={
                "incoterm": thread.request.incoterm, "incoterm_place": thread.request.destination_place,
                "kind": Quote.Kind.SAMPLE if thread.request.samples_wanted and not thread.quotes.exists()
                else Quote.Kind.BULK}) if answering else None,
            line_formset=QuoteLineFormSet(prefix="lines", initial=initial_lines) if answering else None,
            decline_form=DeclineForm(prefix="decline") if answering else None,
            message_form=MessageForm(prefix="message") if side and thread.status in THREAD_TRANSITIONS["message"]
            else None,
            may_withdraw=side == SELLER, base_currency=base_currency(),
            **kwargs,
        )


def _errors_to_messages(request, error: ValidationError) -> None:
    for problem in error.messages:
        messages.error(request, problem)


def _form_errors_to_messages(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))


class QuoteThreadActionView(PermissionCheckedMixin, View):
    """One step on a thread (POST): the form is checked, the service decides; what it refuses is shown on
    the thread's page as an error, and nothing changes."""

    http_method_names = ["post"]
    model = QuoteThread
    ACTIONS = ("quote", "decline", "message", "withdraw")

    def post(self, request, pk, action):
        if action not in self.ACTIONS:
            raise PermissionDenied
        queryset = self.permission_policy.instances_user_has_permission_for(request.user, "view")
        thread = get_object_or_404(queryset.select_related("request", "request__company", "seller"), pk=pk)
        try:
            done = getattr(self, f"_{action}")(request, thread)
        except ValidationError as error:
            _errors_to_messages(request, error)
        else:
            if done:
                messages.success(request, done)
        return redirect("quote_threads:inspect", pk)

    def _quote(self, request, thread):
        form = QuoteForm(request.POST, prefix="quote")
        formset = QuoteLineFormSet(request.POST, prefix="lines")
        if not form.is_valid() or not formset.is_valid():
            _form_errors_to_messages(request, form)
            for line_form in formset.forms:
                _form_errors_to_messages(request, line_form)
            for problem in formset.non_form_errors():
                messages.error(request, problem)
            return None
        data = form.cleaned_data
        lines = [QuoteLineInput(description=line["description"], quantity=line["quantity"],
                                unit_price_base=line["unit_price"], product_id=line.get("product") or None,
                                hs_code=line.get("hs_code") or "", weight_grams=line.get("weight_grams"))
                 for line in formset.cleaned_data if line]
        quote = quote_send(thread=thread, by=request.user, kind=data["kind"], lines=lines,
                           lead_time_days=data["lead_time_days"], delivery_days=data["delivery_days"] or 0,
                           valid_until=data["valid_until"], incoterm=data["incoterm"],
                           incoterm_place=data["incoterm_place"], shipping_base=data["shipping"] or 0,
                           deposit_percent=data["deposit_percent"], sample_credited=data["sample_credited"],
                           notes=data["notes"])
        return _("Quote %(reference)s sent: the buyer is told.") % {"reference": quote.reference}

    def _decline(self, request, thread):
        form = DeclineForm(request.POST, prefix="decline")
        if not form.is_valid():
            _form_errors_to_messages(request, form)
            return None
        thread_decline(thread=thread, by=request.user, reason=form.cleaned_data["reason"])
        return _("Declined: the buyer is told why.")

    def _message(self, request, thread):
        form = MessageForm(request.POST, request.FILES, prefix="message")
        if not form.is_valid():
            _form_errors_to_messages(request, form)
            return None
        quote_message_post(thread=thread, by=request.user, body=form.cleaned_data["body"],
                           files=form.cleaned_data["files"])
        return _("Message sent.")

    def _withdraw(self, request, thread):
        quote = get_object_or_404(Quote, pk=request.POST.get("quote") if str(request.POST.get("quote", "")).isdigit()
                                  else 0, thread=thread)
        quote_withdraw(quote=quote, by=request.user)
        return _("Quote withdrawn.")


class QuoteThreadViewSet(ModelViewSet):
    model = QuoteThread
    icon = "mail"
    menu_label = _("Requests for quote")
    menu_order = 212
    add_to_admin_menu = True
    name = "quote_threads"
    index_view_class = QuoteThreadIndexView
    inspect_view_enabled = True
    inspect_view_class = QuoteThreadInspectView
    filterset_class = QuoteThreadFilterSet
    list_display = ["request", "seller", "status", "respond_by", "updated_at"]
    list_filter = None
    search_fields = ["request__reference", "request__title", "request__company__legal_name", "seller__legal_name"]

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
            path("<int:pk>/<slug:action>/", QuoteThreadActionView.as_view(), name="act"),
        ]


def quote_threads_waiting(user) -> dict:
    """What the user's sellers have to answer, for the dashboard; for chamber staff, the flagged threads."""
    if not user.is_authenticated:
        return {}
    counts = {"to_answer": QuoteThread.objects.filter(seller__members__user=user,
                                                      status=Status.AWAITING_QUOTE).count()}
    if user.has_perm("quotes.view_quotethread"):
        counts["flagged"] = QuoteThread.objects.filter(status=Status.AWAITING_QUOTE, flagged_at__isnull=False).count()
    return counts if any(counts.values()) else {}
