"""Returns in the Wagtail admin: a seller's members see their seller's returns and answer them,
confirm receipt and condition; chamber staff see every return, decide those left unanswered past the
deadline (first in the "overdue" queue) and follow up refunds. The views hand a form's data to one
service (who may do what: ``permissions``)."""

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views.generic import IndexView, InspectView, PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet

from marketplace.orders.models import RefundState

from .models import ReturnRequest
from .permissions import REFUND_ACTION, may_act
from .services import (
    actions_open,
    return_authorise,
    return_receive,
    return_refund_record,
    return_refund_retry,
    return_refuse,
)

Status = ReturnRequest.Status


class ReturnFilterSet(WagtailFilterSet):
    queue = django_filters.ChoiceFilter(
        label=_("Queue"), method="filter_queue", empty_label=_("All returns"),
        choices=[("to_answer", _("To answer")), ("overdue", _("Overdue: the chamber decides")),
                 ("to_receive", _("On their way back")), ("refunds", _("Refunds to follow up"))],
    )

    class Meta:
        model = ReturnRequest
        fields = ["status"]

    def filter_queue(self, queryset, name, value):
        if value == "to_answer":
            return queryset.filter(status=Status.REQUESTED)
        if value == "overdue":
            return queryset.filter(status=Status.REQUESTED, answer_by__lte=timezone.now())
        if value == "to_receive":
            return queryset.filter(status__in=[Status.AUTHORISED, Status.SENT])
        return queryset.filter(status=Status.RECEIVED)


class ReturnIndexView(IndexView):
    def get_base_queryset(self):
        return self.permission_policy.instances_user_has_permission_for(self.request.user, "view").select_related(
            "seller_order__seller", "seller_order__order")


class AuthoriseForm(forms.Form):
    return_address = forms.CharField(label=_("Return address"), max_length=1000, required=False,
                                     widget=forms.Textarea(attrs={"rows": 3}),
                                     help_text=_("Leave empty to use the seller's return address."))


class RefuseForm(forms.Form):
    reason = forms.CharField(label=_("Why you refuse"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("The buyer reads this. A withdrawal within the legal period cannot be refused."))


class ReceiveForm(forms.Form):
    condition_notes = forms.CharField(label=_("Condition of the goods"), max_length=1000, required=False,
                                      widget=forms.Textarea(attrs={"rows": 3}))


class ConfirmForm(forms.Form):
    pass


class RefundRecordForm(forms.Form):
    reference = forms.CharField(label=_("Reference of the refund or transfer back"), max_length=255, required=False)


ACTION_FORMS = {"authorise": AuthoriseForm, "refuse": RefuseForm, "receive": ReceiveForm,
                "refund_retry": ConfirmForm, "refund_record": RefundRecordForm}
DONE_MESSAGES = {
    "authorise": _("Authorised: the buyer has the return address."),
    "refuse": _("Refused: the buyer is told why."),
    "receive": _("Received: the stock is back on sale and the buyer is being refunded."),
    "refund_retry": _("The refund was asked again."),
    "refund_record": _("The refund is recorded."),
}


def _run(action: str, return_request: ReturnRequest, user, data: dict) -> ReturnRequest:
    if action == "authorise":
        return return_authorise(return_request=return_request, by=user, return_address=data["return_address"])
    if action == "refuse":
        return return_refuse(return_request=return_request, by=user, reason=data["reason"])
    if action == "receive":
        return return_receive(return_request=return_request, by=user, condition_notes=data["condition_notes"])
    if action == "refund_retry":
        return return_refund_retry(return_request=return_request, by=user)
    return return_refund_record(return_request=return_request, by=user, reference=data["reference"])


class ReturnInspectView(InspectView):
    template_name = "returns/admin/return_inspect.html"
    page_title = _("Return")

    def get_object(self, queryset=None):
        queryset = self.permission_policy.instances_user_has_permission_for(self.request.user, "view")
        return get_object_or_404(queryset.select_related("seller_order__order", "seller_order__seller"), pk=self.pk)

    def get_page_subtitle(self):
        return self.object.reference

    def get_context_data(self, **kwargs):
        return_request = self.object
        user = self.request.user
        actions = actions_open(user, return_request)
        refunds = may_act(user, return_request, REFUND_ACTION) and return_request.status == Status.RECEIVED
        return super().get_context_data(
            return_request=return_request, seller_order=return_request.seller_order,
            order=return_request.seller_order.order, lines=return_request.lines.select_related("order_line"),
            forms={action: ACTION_FORMS[action](prefix=action) for action in actions},
            overdue=return_request.status == Status.REQUESTED and return_request.answer_by <= timezone.now(),
            refund_retry=refunds and return_request.refund_state in (RefundState.FAILED, RefundState.SENDING),
            refund_record=refunds and return_request.refund_state in (RefundState.MANUAL, RefundState.SENDING,
                                                                    RefundState.FAILED),
            **kwargs,
        )


class ReturnActionView(PermissionCheckedMixin, View):
    """One step on a return (POST): the form is checked, the service decides; what it refuses is shown
    on the return's page and nothing changes. Another seller's return is not found (404)."""

    http_method_names = ["post"]
    model = ReturnRequest

    def post(self, request, pk, action):
        if action not in ACTION_FORMS:
            raise PermissionDenied
        queryset = self.permission_policy.instances_user_has_permission_for(request.user, "view")
        return_request = get_object_or_404(queryset.select_related("seller_order__seller", "seller_order__order"), pk=pk)
        form = ACTION_FORMS[action](request.POST, prefix=action)
        if not form.is_valid():
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
            return redirect("returns_admin:inspect", pk)
        try:
            return_request = _run(action, return_request, request.user, form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("returns_admin:inspect", pk)
        if return_request.refund_state == RefundState.FAILED:
            messages.warning(request, _("The payment provider refused the refund (%(error)s). The chamber will retry it.")
                             % {"error": return_request.refund_error})
        else:
            messages.success(request, DONE_MESSAGES[action])
        return redirect("returns_admin:inspect", pk)


class ReturnViewSet(ModelViewSet):
    model = ReturnRequest
    icon = "rotate"
    menu_label = _("Returns")
    menu_order = 212
    add_to_admin_menu = True
    name = "returns_admin"
    index_view_class = ReturnIndexView
    inspect_view_enabled = True
    inspect_view_class = ReturnInspectView
    filterset_class = ReturnFilterSet
    list_display = ["reference", "created_at", "seller_order", "status", "legal_withdrawal", "answer_by", "refund_amount"]
    list_filter = None
    search_fields = ["reference", "seller_order__reference", "return_tracking_number"]

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
            path("<int:pk>/<slug:action>/", ReturnActionView.as_view(), name="act"),
        ]
