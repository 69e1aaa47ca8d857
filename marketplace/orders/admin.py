"""Orders in the Wagtail admin for chamber staff: list, look, and record bank transfers received.
Orders change only through the services (payments, the release task), never through a form."""

from decimal import Decimal, InvalidOperation

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views.generic import InspectView, WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from marketplace.payments.interface import payment_providers
from marketplace.payments.services import offline_payment_record

from .models import Order

ORDER_STAFF_PERMISSIONS = ("view_order", "change_order", "view_sellerpayout", "change_sellerpayout",
                           "view_sellerpayoutaccount", "add_sellerpayoutaccount", "change_sellerpayoutaccount",
                           "delete_sellerpayoutaccount")


def order_groups_ensure() -> None:
    """Chamber staff see orders and record bank transfers. Idempotent (run after every migrate)."""
    from catalog.services import CHAMBER_STAFF_GROUP

    group = Group.objects.get_or_create(name=CHAMBER_STAFF_GROUP)[0]
    group.permissions.add(*Permission.objects.filter(content_type__app_label="marketplace",
                                                     codename__in=ORDER_STAFF_PERMISSIONS))


class OrderRecordPolicy(ModelPermissionPolicy):
    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, "view")


class OrderFilterSet(WagtailFilterSet):
    payment_on_hold = django_filters.BooleanFilter(label=_("Payment on hold"), method="filter_payment_on_hold")

    class Meta:
        model = Order
        fields = ["status", "payment_provider", "currency", "ship_country"]

    def filter_payment_on_hold(self, queryset, name, value):
        # Money the provider took that is not the order's total waits here for staff (payments.services).
        on_hold = queryset.filter(payments__status="on_hold").values("pk")
        return queryset.filter(pk__in=on_hold) if value else queryset.exclude(pk__in=on_hold)


class OrderInspectView(InspectView):
    template_name = "marketplace/admin/order_inspect.html"
    page_title = _("Order")

    def get_object(self, queryset=None):
        return get_object_or_404(Order.objects.select_related("user"), pk=self.pk)

    def get_page_subtitle(self):
        return self.object.reference

    def get_context_data(self, **kwargs):
        order = self.object
        provider = payment_providers().get(order.payment_provider)
        return super().get_context_data(
            order=order, lines=order.lines.select_related("seller"),
            parts=order.shipping_parts.select_related("seller"), payments=order.payments.all(),
            events=order.payment_events.all(), provider=provider,
            can_record_transfer=bool(provider and provider.offline and order.paid_at is None
                                     and self.request.user.has_perm("marketplace.change_order")),
            **kwargs,
        )


class TransferForm(forms.Form):
    amount = forms.CharField(label=_("Amount received"), max_length=20,
                             help_text=_("As on the bank statement, in the order's currency."))
    confirm = forms.BooleanField(label=_("The transfer quotes this order's reference and has reached the account."))

    def clean_amount(self):
        try:
            return Decimal(self.cleaned_data["amount"].replace(",", ".").replace(" ", ""))
        except InvalidOperation:
            raise ValidationError(_("Enter an amount such as 1234.50.")) from None


class TransferRecordView(WagtailAdminTemplateMixin, FormView):
    template_name = "marketplace/admin/order_transfer.html"
    form_class = TransferForm
    page_title = _("Record a bank transfer")
    header_icon = "form"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("marketplace.change_order"):
            raise PermissionDenied
        self.order = get_object_or_404(Order, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.order.reference

    def get_context_data(self, **kwargs):
        return super().get_context_data(order=self.order, **kwargs)

    def form_valid(self, form):
        try:
            offline_payment_record(order=self.order, amount=form.cleaned_data["amount"], by=self.request.user)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error.messages)
            return self.form_invalid(form)
        messages.success(self.request, _("Payment recorded: the order is confirmed and the buyer told."))
        return redirect("orders:inspect", self.order.pk)


class OrderViewSet(ModelViewSet):
    model = Order
    icon = "list-ul"
    menu_label = _("Orders")
    menu_order = 210
    add_to_admin_menu = True
    name = "orders"
    inspect_view_enabled = True
    inspect_view_class = OrderInspectView
    filterset_class = OrderFilterSet
    list_display = ["reference", "placed_at", "email", "ship_country", "total", "currency", "status",
                    "payment_provider"]
    list_filter = None
    search_fields = ["reference", "email", "ship_name"]

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
            path("<int:pk>/record-transfer/", TransferRecordView.as_view(), name="record_transfer"),
        ]
