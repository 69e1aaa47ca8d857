"""Orders in the Wagtail admin for chamber staff: list, look, and record bank transfers received.
Orders change only through the services (payments, the release task), never through a form."""

from decimal import Decimal, InvalidOperation

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, models
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import InspectView, PermissionCheckedMixin, WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from config.form_errors import form_errors_add
from currency.selectors import money_format
from marketplace.payments.events import PaymentOutcome
from marketplace.payments.interface import payment_providers
from marketplace.payments.models import Payment
from marketplace.payments.selectors import transfer_currencies, transfer_tolerance
from marketplace.payments.services import bank_transfer_record
from sellers.roles import CHAMBER_STAFF_GROUP, role_groups_ensure

from .models import Order
from .permissions import order_payment_recorder

# What chamber staff may do with commerce's records in the admin: see and change orders (record bank
# transfers), pay sellers, keep their payout accounts, the bank accounts and the transfer and country settings.
ORDER_GROUP_PERMISSIONS = {
    CHAMBER_STAFF_GROUP: (
        "orders.view_order", "orders.change_order", "payouts.view_sellerpayout", "payouts.change_sellerpayout",
        "payouts.view_sellerpayoutaccount", "payouts.add_sellerpayoutaccount", "payouts.change_sellerpayoutaccount",
        "payouts.delete_sellerpayoutaccount", "payments.view_bankaccount", "payments.add_bankaccount",
        "payments.change_bankaccount", "payments.delete_bankaccount", "payments.change_banktransfersettings",
        "shipping.change_countrysettings",
        # The destination rules and duty rates (issue 17), which staff keep current.
        "customs.view_destinationrule", "customs.add_destinationrule", "customs.change_destinationrule",
        "customs.delete_destinationrule", "customs.view_dutyrate", "customs.add_dutyrate", "customs.change_dutyrate",
        "customs.delete_dutyrate",
    ),
}


def order_groups_ensure(*, using: str = DEFAULT_DB_ALIAS) -> None:
    """Chamber staff see orders and record bank transfers. Idempotent (run after every migrate)."""
    role_groups_ensure(ORDER_GROUP_PERMISSIONS, using=using)


# Not a model permission: staff who may change orders record the transfers that pay them.
RECORD_TRANSFER = "record_transfer"


class OrderRecordPolicy(ModelPermissionPolicy):
    """Chamber staff see orders; nobody adds, edits or deletes one through a generic view. Recording a
    bank transfer received (``RECORD_TRANSFER``) takes the change permission."""

    def user_has_permission(self, user, action):
        if action == RECORD_TRANSFER:
            return order_payment_recorder(user)
        return action == "view" and super().user_has_permission(user, "view")


class OrderFilterSet(WagtailFilterSet):
    payment_on_hold = django_filters.BooleanFilter(label=_("Payment on hold"), method="filter_payment_on_hold")
    overpaid = django_filters.BooleanFilter(label=_("Overpaid by transfer"), method="filter_overpaid")

    class Meta:
        model = Order
        fields = ["status", "payment_provider", "currency", "ship_country"]

    def filter_payment_on_hold(self, queryset, name, value):
        # Money the provider took that is not the order's total waits here for staff (payments.services).
        on_hold = queryset.filter(payments__status=Payment.Status.ON_HOLD).values("pk")
        return queryset.filter(pk__in=on_hold) if value else queryset.exclude(pk__in=on_hold)

    def filter_overpaid(self, queryset, name, value):
        # More arrived by bank transfer than the total: staff return the excess (payments.services).
        overpaid = models.Q(received__gt=models.F("total"))
        return queryset.filter(overpaid) if value else queryset.exclude(overpaid)


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
            events=order.payment_events.all(), provider=provider, receipts=order.bank_receipts.all(),
            can_record_transfer=bool(provider and provider.offline
                                     and self.permission_policy.user_has_permission(self.request.user, RECORD_TRANSFER)),
            **kwargs,
        )


class TransferForm(forms.Form):
    amount = forms.CharField(label=_("Amount received"), max_length=20,
                             help_text=_("As on the bank statement, after the bank's fees."))
    currency = forms.ChoiceField(label=_("Currency received"), required=False,
                                 help_text=_("The order's own currency if left empty."))
    received_on = forms.DateField(label=_("Received on"), required=False,
                                  help_text=_("The value date on the statement; today if left empty."))
    bank_reference = forms.CharField(label=_("Bank reference"), max_length=100, required=False)
    confirm = forms.BooleanField(label=_("The transfer quotes this order's reference and has reached the account."))

    def __init__(self, *args, currencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].choices = [(code, code) for code in currencies]

    def clean_amount(self):
        try:
            amount = Decimal(self.cleaned_data["amount"].replace(",", ".").replace(" ", "").replace("\u202f", ""))
        except InvalidOperation:
            raise ValidationError(_("Enter an amount such as 1234.50.")) from None
        if not amount.is_finite() or amount <= 0 or amount.adjusted() >= 12 or amount.as_tuple().exponent < -2:
            raise ValidationError(_("Enter an amount such as 1234.50."))
        return amount


class TransferRecordView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "marketplace/admin/order_transfer.html"
    form_class = TransferForm
    page_title = _("Record a bank transfer")
    header_icon = "form"
    model = Order
    permission_required = RECORD_TRANSFER

    @cached_property
    def order(self) -> Order:
        # Looked up once the policy has let the user in: to others, an unknown order is refused like any.
        return get_object_or_404(Order, pk=self.kwargs["pk"])

    def get_page_subtitle(self):
        return self.order.reference

    def get_form_kwargs(self):
        provider = payment_providers().get(self.order.payment_provider)
        options = provider.options if provider is not None and provider.offline else None
        return {**super().get_form_kwargs(), "initial": {"currency": self.order.currency, "received_on": timezone.localdate()},
                "currencies": list(dict.fromkeys([self.order.currency, *transfer_currencies(options=options)]))}

    def get_context_data(self, **kwargs):
        return super().get_context_data(order=self.order, receipts=self.order.bank_receipts.all(),
                                        due=max(self.order.total - self.order.received, Decimal(0)),
                                        tolerance=transfer_tolerance(order=self.order), **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            outcome = bank_transfer_record(order=self.order, amount=data["amount"],
                                           currency=data["currency"] or self.order.currency,
                                           received_on=data["received_on"], bank_reference=data["bank_reference"],
                                           by=self.request.user)
        except ValidationError as error:
            form_errors_add(form, error)
            return self.form_invalid(form)
        self.order.refresh_from_db()
        if outcome == PaymentOutcome.PAID:
            messages.success(self.request, _("Payment recorded: the order is confirmed and the buyer told."))
        elif outcome == PaymentOutcome.PARTIAL:
            messages.warning(self.request, _("Part of the total recorded: the buyer is asked for the rest."))
        else:
            messages.warning(self.request, _("Recorded on an order already paid: return the excess to the buyer."))
        if self.order.overpaid:
            messages.warning(self.request, _("More than the total has arrived: return the excess to the buyer."))
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
    list_display = ["reference", "placed_at", "email", "ship_country",
                    Column("total", label=_("Total"), sort_key="total", classname="w-text-end",
                           accessor=lambda order: money_format(order.total, order.currency)),
                    "status", "payment_provider"]
    list_filter = None
    search_fields = ["reference", "email", "ship_name"]

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
            path("<int:pk>/record-transfer/", TransferRecordView.as_view(), name="record_transfer"),
        ]
