"""The "Tax collected" report in the admin's Reports menu (Wagtail's report view: filters, CSV and XLSX)."""

from datetime import date, timedelta

import django_filters
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView

from customs.models import CollectionScheme

from .models import Order
from .tax_report import tax_collected_by_destination_and_month

PERIODS = [("1", _("This month")), ("3", _("Last 3 months")), ("12", _("Last 12 months")), ("36", _("Last 36 months"))]


class TaxReportFilterSet(WagtailFilterSet):
    months = django_filters.ChoiceFilter(label=_("Period"), choices=PERIODS, empty_label=_("Last 12 months"),
                                         method="keep")
    scheme = django_filters.ChoiceFilter(
        label=_("Collected under"), method="keep", empty_label=_("All"),
        choices=[(CollectionScheme.IOSS, CollectionScheme.IOSS.label), (CollectionScheme.UK_VAT, CollectionScheme.UK_VAT.label),
                 ("ddp", _("import, paid by us (DDP)"))])

    class Meta:
        model = Order
        fields = []

    def keep(self, queryset, name, value):
        return queryset


def _months_ago(count: int) -> date:
    month = timezone.localdate().replace(day=1)
    for _step in range(count - 1):
        month = (month - timedelta(days=1)).replace(day=1)
    return month


class TaxCollectedReportView(ReportView):
    page_title = _("Tax collected")
    header_icon = "table"
    index_url_name = "orders_tax_collected"
    index_results_url_name = "orders_tax_collected_results"
    filterset_class = TaxReportFilterSet
    export_filename = "tax-collected"
    paginate_by = None
    permission_policy = None  # set by wagtail_hooks: the order records' policy, "view"
    permission_required = "view"
    columns = [
        Column("month", label=_("Month"), accessor=lambda row: row.month.strftime("%Y-%m")),
        Column("country", label=_("Destination"), accessor="country_label"),
        Column("scheme", label=_("Collected under"), accessor="scheme_label"),
        Column("rate", label=_("Rate (%)")),
        Column("orders", label=_("Orders")),
        Column("tax", label=_("Tax collected"), accessor=lambda row: f"{row.tax} {row.currency}"),
        Column("refunded", label=_("Of which refunded parts"), accessor=lambda row: f"{row.refunded} {row.currency}"),
        Column("tax_base", label=_("In the base currency")),
    ]
    list_export = ["month", "country", "scheme", "rate", "currency", "orders", "tax", "refunded", "tax_base"]
    export_headings = {"month": _("Month"), "country": _("Destination"), "scheme": _("Collected under"),
                       "rate": _("Rate (%)"), "currency": _("Currency"), "orders": _("Orders"),
                       "tax": _("Tax collected"), "refunded": _("Of which refunded parts"),
                       "tax_base": _("In the base currency")}

    @cached_property
    def chosen(self) -> dict:
        if self.filters is None or not self.filters.is_valid():
            return {}
        return self.filters.form.cleaned_data

    def get_queryset(self):
        scheme = self.chosen.get("scheme") or None
        return tax_collected_by_destination_and_month(
            start=_months_ago(int(self.chosen.get("months") or 12)),
            scheme="" if scheme == "ddp" else scheme)

    def filter_queryset(self, queryset):
        return queryset
