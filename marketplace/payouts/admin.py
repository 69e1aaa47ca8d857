"""Payouts in the Wagtail admin for chamber staff, under one "Payouts" menu: the report of a month's
payouts with totals per seller and spreadsheet export, the two ways to pay one (a transfer to the seller's
connected account, or a bank transfer recorded), and the sellers' payout accounts.

The hooks are registered here; ``marketplace/payouts/wagtail_hooks.py`` imports this module."""

import re
from datetime import date

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import floatformat
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail import hooks
from wagtail.admin.active_filters import BaseFilterAdapter, register_filter_adapter_class
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import BaseColumn, Column
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic import IndexView, PermissionCheckedMixin, WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from currency.selectors import money_format
from marketplace.payments.interface import payment_providers

from .models import SellerPayout, SellerPayoutAccount
from .selectors import payout_totals_by_seller, payouts_for_period
from .services import PAYABLE, RECORDABLE, payout_mark_paid, payout_transfer

MONTH = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{2})$")

# The payouts' model permissions as they are: chamber staff view payouts, and pay them with ``change``
# (``PAYOUT_PERMISSION``, which the services check again). Registered before anything looks it up.
payout_permission_policy = ModelPermissionPolicy(SellerPayout)
register_permission_policy(SellerPayout, payout_permission_policy)


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_next(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def transfer_account(seller):
    """The seller's payout account if a configured provider can transfer to it, else None."""
    account = getattr(seller, "payout_account", None)  # loaded with the payout; None when there is none
    provider = payment_providers().get(account.provider) if account else None
    return account if provider is not None and provider.transfers else None


# --- the report


class MonthField(forms.Field):
    widget = forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"})
    default_error_messages = {"invalid": _("Enter a month such as 2025-01.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        match = MONTH.match(str(value).strip())
        try:
            return date(int(match["year"]), int(match["month"]), 1)
        except (TypeError, ValueError):
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

    def prepare_value(self, value):
        return value.strftime("%Y-%m") if isinstance(value, date) else value


class MonthFilter(django_filters.Filter):
    """A calendar month; the view turns it into the selector's period, so it filters nothing itself."""

    field_class = MonthField

    def filter(self, qs, value):
        return qs


class MonthFilterAdapter(BaseFilterAdapter):
    def get_active_filters(self):
        for active in super().get_active_filters():
            yield active._replace(value=date_format(self.value, "YEAR_MONTH_FORMAT"))


register_filter_adapter_class(MonthFilter, MonthFilterAdapter)


def _sellers_with_payouts(request):
    seller_model = SellerPayout._meta.get_field("seller").related_model
    return seller_model.objects.filter(payouts__isnull=False).distinct().order_by("legal_name")


class PayoutReportFilterSet(WagtailFilterSet):
    month = MonthFilter(label=_("Month delivered"), help_text=_("The current month when empty."))
    seller = django_filters.ModelChoiceFilter(label=_("Seller"), queryset=_sellers_with_payouts,
                                              empty_label=_("All sellers"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=SellerPayout.Status.choices,
                                         empty_label=_("Any status"))

    class Meta:
        model = SellerPayout
        fields = []


class AmountColumn(Column):
    """An amount of the payout's currency, written like every price."""

    def __init__(self, name, label, **kwargs):
        super().__init__(name, label=label, classname="w-text-end", sort_key=name,
                         accessor=lambda payout: money_format(getattr(payout, name), payout.currency), **kwargs)


class PayoutActionsColumn(BaseColumn):
    cell_template_name = "marketplace/admin/payouts/actions_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context["request"]
        may_pay = payout_permission_policy.user_has_permission(request.user, "change")
        payable = instance.status in PAYABLE and may_pay
        back = request.GET.copy()
        for name in ("_w_filter_fragment", "export"):
            back.pop(name, None)
        next_url = reverse("payouts:index") + (f"?{back.urlencode()}" if back else "")
        context.update(
            payable=payable,
            recordable=instance.status in RECORDABLE and may_pay,
            can_transfer=payable and transfer_account(instance.seller) is not None,
            transfer_url=f"{reverse('payouts:transfer', args=[instance.pk])}?{_next_query(next_url)}",
            mark_paid_url=f"{reverse('payouts:mark_paid', args=[instance.pk])}?{_next_query(next_url)}",
        )
        return context


def _next_query(next_url: str) -> str:
    query = QueryDict(mutable=True)
    query["next"] = next_url
    return query.urlencode()


def _status_text(payout: SellerPayout) -> str:
    if payout.status in (SellerPayout.Status.FAILED, SellerPayout.Status.SENDING) and payout.error:
        return f"{payout.get_status_display()}: {payout.error}"
    return payout.get_status_display()


class PayoutReportView(ReportView):
    """Thin: the filter form gives the period, seller and status; the selectors do the rest."""

    page_title = _("Payouts")
    header_icon = "table"
    index_url_name = "payouts:index"
    index_results_url_name = "payouts:index_results"
    results_template_name = "marketplace/admin/payouts/report_results.html"
    filterset_class = PayoutReportFilterSet
    model = SellerPayout
    permission_required = "view"
    paginate_by = 100
    verbose_name_plural = _("payouts")
    columns = [
        Column("seller", label=_("Seller")),
        Column("seller_order", label=_("Seller order"), accessor="seller_order.reference"),
        Column("delivered_at", label=_("Delivered"),
               accessor=lambda payout: date_format(timezone.localtime(payout.delivered_at), "SHORT_DATE_FORMAT")),
        AmountColumn("products", _("Products")),
        Column("commission_rate", label=_("Rate (%)"), classname="w-text-end",
               accessor=lambda payout: floatformat(payout.commission_rate * 100, -2)),
        AmountColumn("commission", _("Commission")),
        AmountColumn("shipping", _("Shipping")),
        AmountColumn("amount", _("Amount owed")),
        Column("status", label=_("Status"), accessor=_status_text),
        Column("transfer_reference", label=_("Transfer reference")),
        PayoutActionsColumn("actions", label=_("Actions")),
    ]
    list_export = ["seller", "seller_order.reference", "delivered_at", "products", "commission_rate", "commission",
                   "shipping", "amount", "currency", "get_status_display", "transfer_reference", "paid_at", "paid_by",
                   "error"]
    export_headings = {
        "seller": _("Seller"), "seller_order.reference": _("Seller order"), "delivered_at": _("Delivered"),
        "products": _("Products"), "commission_rate": _("Commission rate"), "commission": _("Commission"),
        "shipping": _("Shipping"), "amount": _("Amount owed"), "currency": _("Currency"),
        "get_status_display": _("Status"), "transfer_reference": _("Transfer reference"), "paid_at": _("Paid"),
        "paid_by": _("Recorded by"), "error": _("Last error"),
    }

    @cached_property
    def chosen(self) -> dict:
        """The valid choices of the filter form (an invalid one is shown in the form and left out)."""
        if self.filters is None:
            return {}
        self.filters.is_valid()
        return getattr(self.filters.form, "cleaned_data", {})

    @cached_property
    def month(self) -> date:
        return self.chosen.get("month") or month_start(timezone.localdate())

    def get_base_queryset(self):
        return payouts_for_period(
            start=self.month, end=month_next(self.month), seller=self.chosen.get("seller"),
            status=self.chosen.get("status") or None,
        ).select_related("seller__payout_account")

    def filter_queryset(self, queryset):
        return queryset  # the selector applied the filters

    def get_page_subtitle(self):
        return date_format(self.month, "YEAR_MONTH_FORMAT")

    def get_filename(self):
        return f"payouts-{self.month:%Y-%m}"

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        totals = payout_totals_by_seller(self.object_list)
        context.update(totals=totals, grand_totals=_grand_totals(totals), month=self.month)
        return context


def _grand_totals(totals) -> list[dict]:
    """The sums of all sellers, one line per currency."""
    lines = {}
    for line in totals:
        grand = lines.setdefault(line.currency, {"currency": line.currency, "count": 0, "products": 0,
                                                 "commission": 0, "shipping": 0, "amount": 0})
        for name in ("count", "products", "commission", "shipping", "amount"):
            grand[name] += getattr(line, name)
    return list(lines.values())


# --- paying one payout


class PayoutActionView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """A confirmation page, then the service; the outcome is told with a message on the report. For those
    who may pay sellers: the change permission on payouts (the services' ``PAYOUT_PERMISSION``)."""

    header_icon = "form"
    model = SellerPayout
    permission_required = "change"

    @cached_property
    def payout(self) -> SellerPayout:
        # Looked up once the policy has let the user in: to others, an unknown payout is refused like any.
        return get_object_or_404(SellerPayout.objects.select_related("seller__payout_account", "seller_order"),
                                 pk=self.kwargs["pk"])

    def get_page_subtitle(self):
        return self.payout.seller_order.reference

    @cached_property
    def next_url(self) -> str:
        return get_valid_next_url_from_request(self.request) or reverse("payouts:index")

    def get_context_data(self, **kwargs):
        return super().get_context_data(payout=self.payout, account=transfer_account(self.payout.seller),
                                        payable=self.payout.status in PAYABLE, next_url=self.next_url, **kwargs)

    def form_valid(self, form):
        try:
            self.act(form)
        except ValidationError as error:
            messages.error(self.request, " ".join(error.messages))
        return redirect(self.next_url)


class PayoutTransferView(PayoutActionView):
    template_name = "marketplace/admin/payouts/transfer.html"
    form_class = forms.Form
    page_title = _("Transfer to the connected account")

    def act(self, form):
        payout = payout_transfer(payout=self.payout, by=self.request.user)
        if payout.status == SellerPayout.Status.TRANSFERRED:
            messages.success(self.request, _("%(amount)s transferred to %(seller)s (%(reference)s).") % {
                "amount": money_format(payout.amount, payout.currency), "seller": payout.seller,
                "reference": payout.transfer_reference})
        elif payout.status == SellerPayout.Status.SENDING:
            messages.warning(self.request, payout.error)
        else:
            messages.error(self.request, _("The transfer to %(seller)s failed: %(error)s") % {
                "seller": payout.seller, "error": payout.error})


class MarkPaidForm(forms.Form):
    reference = forms.CharField(label=_("Bank reference"), max_length=255, required=False,
                                help_text=_("As on the bank statement, so the transfer can be found again."))


class PayoutMarkPaidView(PayoutActionView):
    template_name = "marketplace/admin/payouts/mark_paid.html"
    form_class = MarkPaidForm
    page_title = _("Record a payout as paid")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "payable": self.payout.status in RECORDABLE}

    def act(self, form):
        payout = payout_mark_paid(payout=self.payout, by=self.request.user, reference=form.cleaned_data["reference"])
        messages.success(self.request, _("%(amount)s to %(seller)s recorded as paid.") % {
            "amount": money_format(payout.amount, payout.currency), "seller": payout.seller})


class PayoutMenuItem(MenuItem):
    def is_shown(self, request):
        return payout_permission_policy.user_has_permission(request.user, "view")


class PayoutReportViewSet(ViewSet):
    name = "payouts"
    icon = "table"
    menu_label = _("Payouts report")
    menu_item_class = PayoutMenuItem

    def get_urlpatterns(self):
        return [
            path("", PayoutReportView.as_view(), name="index"),
            path("results/", PayoutReportView.as_view(results_only=True), name="index_results"),
            path("<int:pk>/transfer/", PayoutTransferView.as_view(), name="transfer"),
            path("<int:pk>/paid/", PayoutMarkPaidView.as_view(), name="mark_paid"),
        ]


# --- sellers' payout accounts


def _transfer_provider_choices():
    return [(name, f"{provider.label} ({name})" if provider.label else name)
            for name, provider in payment_providers().items() if provider.transfers]


class SellerPayoutAccountForm(WagtailAdminModelForm):
    provider = forms.ChoiceField(label=_("Payment provider"), choices=_transfer_provider_choices,
                                 help_text=_("Only providers that can pay sellers are listed."))

    def clean(self):
        cleaned = super().clean()
        provider = payment_providers().get(cleaned.get("provider"))
        reference = (cleaned.get("account_reference") or "").strip()
        prefix = getattr(provider, "account_reference_prefix", "")
        if reference and prefix and not (reference.startswith(prefix) and reference[len(prefix):].isalnum()):
            self.add_error("account_reference", _("This provider's account ids look like %(example)s.")
                           % {"example": f"{prefix}1ABC2def3GHI"})
        cleaned["account_reference"] = reference
        return cleaned


class SellerPayoutAccountIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("seller")


class SellerPayoutAccountViewSet(ModelViewSet):
    model = SellerPayoutAccount
    name = "payout_accounts"
    icon = "user"
    menu_label = _("Payout accounts")
    list_display = ["seller", "provider", "account_reference"]
    search_fields = ["account_reference", "seller__legal_name"]
    edit_handler = ObjectList(
        [FieldPanel("seller"), FieldPanel("provider"), FieldPanel("account_reference")],
        base_form_class=SellerPayoutAccountForm,
    )

    index_view_class = SellerPayoutAccountIndexView
    ordering = ["seller__legal_name"]


class PayoutsViewSetGroup(ViewSetGroup):
    items = (PayoutReportViewSet, SellerPayoutAccountViewSet)
    menu_label = _("Payouts")
    menu_name = "payouts"
    menu_icon = "table"
    menu_order = 215


@hooks.register("register_admin_viewset")
def register_payout_viewsets():
    return PayoutsViewSetGroup()


@hooks.register("register_log_actions")
def register_payout_log_actions(actions):
    actions.register_action("marketplace.payout_transfer", _("Transfer payout"), _("Payout transferred"))
    actions.register_action("marketplace.payout_transfer_failed", _("Transfer payout"), _("Payout transfer failed"))
    actions.register_action("marketplace.payout_paid", _("Record payout"), _("Payout recorded as paid"))
    actions.register_action("marketplace.payout_reduced", _("Reduce payout"), _("Payout reduced after a refund"))
    actions.register_action("marketplace.payout_clawback", _("Withhold from payout"),
                            _("Payout withheld to recover a refund made after an earlier payout"))
    actions.register_action("marketplace.payout_refunded_after_payment", _("Flag payout"),
                            _("Goods refunded after the payout"))
