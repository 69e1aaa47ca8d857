"""Trade accounts in the Wagtail admin, for chamber staff: the queue of applications (pending first),
each company with its documents, VAT check and members, and the decisions. Access is the model's
permissions (``trade.view_tradecompany`` to see, ``trade.change_tradecompany`` to decide), which
chamber staff get after every migrate."""

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views import View
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views.generic import IndexView, InspectView, PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import registry as log_registry
from wagtail.permission_policies import ModelPermissionPolicy

from config.storage import private_file_response

from .models import TradeCompany, TradeDocument
from .services import REASON_REQUIRED, TRANSITIONS, trade_company_decide, trade_vat_recheck_request

DONE = {
    "verify": _("The company is verified: its users see wholesale prices."),
    "reject": _("The application is rejected; the company is told why."),
    "suspend": _("The trade account is suspended."),
    "reinstate": _("The trade account is open again."),
    "vat_recheck": _("The VAT number will be checked again in a moment."),
}


class TradeCompanyFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=TradeCompany.Status.choices,
                                         empty_label=_("All companies"))

    class Meta:
        model = TradeCompany
        fields = ["status", "country"]


class TradeCompanyPolicy(ModelPermissionPolicy):
    """Chamber staff see companies (view) and decide on them (change); nobody adds, edits or deletes one
    through a generic view: companies apply on the public site."""

    def user_has_permission(self, user, action):
        return action in ("view", "change") and super().user_has_permission(user, action)


class TradeCompanyIndexView(IndexView):
    # "change" is deciding, from the company's own page: there is no edit form to link to.
    def get_edit_url(self, instance):
        return None

    def get_copy_url(self, instance):
        return None

    def get_base_queryset(self):
        pending_first = Case(When(status=TradeCompany.Status.PENDING, then=Value(0)), default=Value(1),
                             output_field=IntegerField())
        return super().get_base_queryset().order_by(pending_first, "-created_at", "-pk")


class DecisionForm(forms.Form):
    reason = forms.CharField(label=_("Reason (told to the company)"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class TradeCompanyInspectView(InspectView):
    template_name = "trade/admin/company_inspect.html"
    page_title = _("Trade company")

    def get_edit_url(self):
        return None

    def get_delete_url(self):
        return None

    def get_context_data(self, **kwargs):
        company = self.object
        decisions = [decision for decision, statuses in TRANSITIONS.items() if company.status in statuses]
        may_decide = self.permission_policy.user_has_permission(self.request.user, "change")
        return super().get_context_data(
            company=company, documents=company.documents.all(), members=company.members.select_related("user"),
            decisions=decisions if may_decide else [], reason_required=REASON_REQUIRED, may_decide=may_decide,
            history=log_registry.get_logs_for_instance(company).select_related("user").order_by("timestamp"),
            **kwargs)


class TradeCompanyDecisionView(PermissionCheckedMixin, View):
    """A decision (POST) on a company; what the service refuses is shown and nothing changes."""

    http_method_names = ["post"]
    model = TradeCompany
    permission_required = "change"

    def post(self, request, pk, decision):
        company = get_object_or_404(TradeCompany, pk=pk)
        if decision not in (*TRANSITIONS, "vat_recheck"):
            raise PermissionDenied
        form = DecisionForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        try:
            if decision == "vat_recheck":
                trade_vat_recheck_request(company=company, by=request.user)
            else:
                trade_company_decide(company=company, decision=decision, by=request.user, reason=reason)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, DONE[decision])
        return redirect("trade_companies:inspect", pk)


class TradeDocumentDownloadView(PermissionCheckedMixin, View):
    """A company's proof of activity, for chamber staff only (the files are private)."""

    model = TradeCompany
    permission_required = "view"

    def get(self, request, pk):
        document = get_object_or_404(TradeDocument, pk=pk)
        return private_file_response(document.file, filename=document.original_name, content_type=document.content_type)


class TradeCompanyViewSet(ModelViewSet):
    model = TradeCompany
    icon = "group"
    menu_label = _("Trade accounts")
    menu_order = 214
    add_to_admin_menu = True
    name = "trade_companies"
    index_view_class = TradeCompanyIndexView
    inspect_view_enabled = True
    inspect_view_class = TradeCompanyInspectView
    filterset_class = TradeCompanyFilterSet
    list_display = ["legal_name", "country", "vat_number", "vat_valid", "status", "created_at"]
    list_filter = None
    search_fields = ["legal_name", "register_number", "vat_number", "eori_number"]

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
            path("<int:pk>/decide/<slug:decision>/", TradeCompanyDecisionView.as_view(), name="decide"),
            path("document/<int:pk>/", TradeDocumentDownloadView.as_view(), name="document"),
        ]
