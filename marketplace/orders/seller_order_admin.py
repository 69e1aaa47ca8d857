"""Seller orders in the Wagtail admin: each seller's members see and fulfil their own seller's parts,
chamber staff see every part, the stuck ones first (who may do what: ``permissions``). Parts change only through the fulfilment services;
the views here list them, show them and hand a form's data to a service."""

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views.generic import IndexView, InspectView, PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet

from sellers.models import Seller

from .documents import has_export_documents, origin_statement
from .models import RefundState, SellerOrder
from .permissions import REFUND_ACTION, is_order_staff, is_order_viewer, may_act
from .services import (
    actions_open,
    seller_order_accept,
    seller_order_decline,
    seller_order_deliver,
    seller_order_pack,
    seller_order_refund_record,
    seller_order_refund_retry,
    seller_order_ship,
)

Status = SellerOrder.Status


def stuck_condition(now) -> Q:
    """Parts nobody accepted by their deadline."""
    return Q(status=Status.AWAITING_ACCEPTANCE, accept_by__lte=now)


class SellerOrderFilterSet(WagtailFilterSet):
    queue = django_filters.ChoiceFilter(
        label=_("Queue"), method="filter_queue", empty_label=_("All order parts"),
        choices=[
            ("to_do", _("To handle: to accept, pack or ship")),
            ("stuck", _("Stuck: not accepted by the deadline")),
            ("late", _("Late: not shipped by the dispatch date")),
            ("refunds", _("Refunds to follow up")),
        ],
    )
    seller = django_filters.ModelChoiceFilter(label=_("Seller"), queryset=Seller.objects.none())
    received = django_filters.DateFromToRangeFilter(label=_("Received"), field_name="created_at")

    class Meta:
        model = SellerOrder
        fields = ["status"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = request.user if request else None
        self.filters["seller"].queryset = (
            Seller.objects.all() if user and is_order_viewer(user) else Seller.objects.filter(members__user=user)
        )

    def filter_queue(self, queryset, name, value):
        now = timezone.now()
        if value == "to_do":
            return queryset.filter(status__in=[Status.AWAITING_ACCEPTANCE, Status.ACCEPTED, Status.PACKED])
        if value == "stuck":
            return queryset.filter(stuck_condition(now))
        if value == "late":
            return queryset.filter(status__in=[Status.ACCEPTED, Status.PACKED], dispatch_by__lt=now.date())
        return queryset.filter(refund_state__in=[RefundState.DUE, RefundState.SENDING, RefundState.FAILED,
                                                 RefundState.MANUAL])


class SellerOrderIndexView(IndexView):
    def get_base_queryset(self):
        return self.permission_policy.instances_user_has_permission_for(self.request.user, "view").select_related(
            "seller", "order")


class SellerOrderInspectView(InspectView):
    template_name = "marketplace/admin/seller_order_inspect.html"
    page_title = _("Order part")

    def get_object(self, queryset=None):
        queryset = self.permission_policy.instances_user_has_permission_for(self.request.user, "view")
        return get_object_or_404(queryset.select_related("order", "seller"), pk=self.pk)

    def get_page_subtitle(self):
        return self.object.reference

    def get_context_data(self, **kwargs):
        seller_order = self.object
        user = self.request.user
        actions = actions_open(user, seller_order)
        staff = is_order_staff(user)
        refunds = may_act(user, seller_order, REFUND_ACTION)
        return super().get_context_data(
            seller_order=seller_order, order=seller_order.order, lines=seller_order.lines.all(),
            actions=actions, staff=staff, overdue=seller_order.status == Status.AWAITING_ACCEPTANCE
            and seller_order.accept_by <= timezone.now(),
            forms={action: ACTION_FORMS[action](prefix=action) for action in actions},
            refund_retry=refunds and seller_order.refund_state in (RefundState.FAILED, RefundState.SENDING),
            refund_record=refunds and seller_order.refund_state in (RefundState.MANUAL, RefundState.SENDING,
                                                                  RefundState.FAILED),
            documents=has_export_documents(seller_order),
            origin_statement=origin_statement(seller_order) if has_export_documents(seller_order) else None,
            **kwargs,
        )


class ConfirmForm(forms.Form):
    pass


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Why you decline"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("The buyer reads this. The part is refunded and its stock put back on sale."))


class PackForm(forms.Form):
    weight_grams = forms.IntegerField(label=_("Packed weight (g)"), min_value=1)
    parcels = forms.IntegerField(label=_("Parcels"), min_value=1, initial=1)


class ShipForm(forms.Form):
    carrier = forms.CharField(label=_("Carrier"), max_length=100)
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=100)
    tracking_url = forms.CharField(label=_("Tracking link"), max_length=500, required=False,
                                   help_text=_("The carrier's page for this parcel, starting with https://."))


class RefundRecordForm(forms.Form):
    reference = forms.CharField(label=_("Bank reference of the transfer back"), max_length=255, required=False)


ACTION_FORMS = {"accept": ConfirmForm, "decline": DeclineForm, "pack": PackForm, "ship": ShipForm,
                "deliver": ConfirmForm, "refund_retry": ConfirmForm, "refund_record": RefundRecordForm}
DONE_MESSAGES = {
    "accept": _("Accepted: the buyer is told, and the export documents are being made."),
    "decline": _("Declined: the buyer is told and refunded, and the stock is back on sale."),
    "pack": _("Packed: the packing list now shows the weight and parcels."),
    "ship": _("Shipped: the buyer has the tracking number."),
    "deliver": _("Delivered: the amount is owed to the seller."),
    "refund_retry": _("The refund was asked again."),
    "refund_record": _("The refund is recorded."),
}


def _run(action: str, seller_order: SellerOrder, user, data: dict) -> SellerOrder:
    if action == "accept":
        return seller_order_accept(seller_order=seller_order, by=user)
    if action == "decline":
        return seller_order_decline(seller_order=seller_order, by=user, reason=data["reason"])
    if action == "pack":
        return seller_order_pack(seller_order=seller_order, by=user, weight_grams=data["weight_grams"],
                                 parcels=data["parcels"])
    if action == "ship":
        return seller_order_ship(seller_order=seller_order, by=user, carrier=data["carrier"],
                                 tracking_number=data["tracking_number"], tracking_url=data["tracking_url"])
    if action == "deliver":
        return seller_order_deliver(seller_order=seller_order, by=user)
    if action == "refund_retry":
        return seller_order_refund_retry(seller_order=seller_order, by=user)
    return seller_order_refund_record(seller_order=seller_order, by=user, reference=data["reference"])


class SellerOrderActionView(PermissionCheckedMixin, View):
    """One step on a part (POST): the form is checked, the service decides; what it refuses is shown
    on the part's page as an error, and nothing changes. The part is found among those the registered
    policy lets the user see, as in the inspect view: another seller's part is not found (404)."""

    http_method_names = ["post"]
    model = SellerOrder

    def post(self, request, pk, action):
        if action not in ACTION_FORMS:
            raise PermissionDenied  # a step that does not exist, refused as one the user may not take
        queryset = self.permission_policy.instances_user_has_permission_for(request.user, "view")
        seller_order = get_object_or_404(queryset.select_related("order"), pk=pk)
        form = ACTION_FORMS[action](request.POST, prefix=action)
        if not form.is_valid():
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
            return redirect("seller_orders:inspect", pk)
        try:
            seller_order = _run(action, seller_order, request.user, form.cleaned_data)
        except PermissionDenied:
            raise
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("seller_orders:inspect", pk)
        if seller_order.refund_state == RefundState.FAILED and action in ("decline", "refund_retry"):
            messages.warning(request, _("The payment provider refused the refund (%(error)s). The chamber will retry it.")
                             % {"error": seller_order.refund_error})
        else:
            messages.success(request, DONE_MESSAGES[action])
        return redirect("seller_orders:inspect", pk)


class SellerOrderViewSet(ModelViewSet):
    model = SellerOrder
    icon = "clipboard-list"
    menu_label = _("Seller orders")
    menu_order = 211
    add_to_admin_menu = True
    name = "seller_orders"
    index_view_class = SellerOrderIndexView
    inspect_view_enabled = True
    inspect_view_class = SellerOrderInspectView
    filterset_class = SellerOrderFilterSet
    list_display = ["reference", "created_at", "seller", "status", "total", "accept_by", "dispatch_by"]
    list_filter = None
    search_fields = ["reference", "order__reference", "seller__legal_name", "tracking_number"]

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
            path("<int:pk>/<slug:action>/", SellerOrderActionView.as_view(), name="act"),
        ]


def seller_orders_waiting(user) -> dict:
    """What the user's sellers have to do, for the dashboard: parts to accept, and to ship."""
    if not user.is_authenticated:
        return {}
    parts = SellerOrder.objects.filter(seller__members__user=user)
    counts = {
        "to_accept": parts.filter(status=Status.AWAITING_ACCEPTANCE).count(),
        "to_ship": parts.filter(status__in=[Status.ACCEPTED, Status.PACKED]).count(),
    }
    if is_order_viewer(user):
        counts["stuck"] = SellerOrder.objects.filter(stuck_condition(timezone.now())).count()
    return counts if any(counts.values()) else {}
