"""The chamber's reports on the sector, on Wagtail's report views (filters, CSV and XLSX export), each
with a chart beside its table. Thin: the rows come from ``observatory.selectors``."""

from dataclasses import replace
from datetime import date, timedelta

import django_filters
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import BasePermissionPolicy, ModelPermissionPolicy

from currency.selectors import base_currency
from labels.models import LabelScheme
from marketplace.orders.models import SellerOrder
from marketplace.shipping.countries import country_name
from sellers.models import Seller

from . import charts, selectors

PERIODS = [("3", _("Last 3 months")), ("6", _("Last 6 months")), ("12", _("Last 12 months")),
           ("24", _("Last 24 months"))]


class SectorFiguresPermissionPolicy(BasePermissionPolicy):
    """Who sees the sector's figures: those who may view every seller (chamber staff). The figures are
    read, never changed, so "view" is the only action."""

    def __init__(self):
        super().__init__("sellers.Seller")

    def user_has_permission(self, user, action):
        return action == "view" and user.is_active and user.has_perm("sellers.view_seller")

    def users_with_any_permission(self, actions):
        if "view" not in actions:
            return get_user_model().objects.none()
        return ModelPermissionPolicy("sellers.Seller").users_with_permission("view")


# The reports have no model of their own to register a policy for: their views name it.
sector_figures_permission_policy = SectorFiguresPermissionPolicy()


class ChoiceFilterSet(WagtailFilterSet):
    """A form of choices for a report: its rows come from a selector, so nothing is filtered here."""

    class Meta:
        model = Seller
        fields = []

    def keep(self, queryset, name, value):
        return queryset


class PeriodFilterSet(ChoiceFilterSet):
    months = django_filters.ChoiceFilter(label=_("Period"), choices=PERIODS, empty_label=_("Last 12 months"),
                                         method="keep")


class SellerFilterSet(ChoiceFilterSet):
    by = django_filters.ChoiceFilter(label=_("Group by"), method="keep", empty_label=_("Region"),
                                     choices=[("kind", _("Type")), ("branch", _("Branch of trade")),
                                              ("trade", _("Trade"))])


class ProductFilterSet(ChoiceFilterSet):
    by = django_filters.ChoiceFilter(label=_("Group by"), method="keep", empty_label=_("Craft"),
                                     choices=[("branch", _("Branch of craft")), ("region", _("Region of origin"))])


class QuoteFilterSet(PeriodFilterSet):
    by = django_filters.ChoiceFilter(label=_("Group by"), method="keep", empty_label=_("Region of the seller"),
                                     choices=[("craft", _("Craft"))])


class FigureReportView(ReportView):
    """Rows computed by a selector rather than a queryset; the filter form only chooses them."""

    header_icon = "table"
    paginate_by = None
    results_template_name = "observatory/admin/report_results.html"
    permission_policy = sector_figures_permission_policy
    permission_required = "view"

    @cached_property
    def chosen(self) -> dict:
        if self.filters is None or not self.filters.is_valid():
            return {}
        return self.filters.form.cleaned_data

    def get_queryset(self):
        return self.rows()

    def filter_queryset(self, queryset):
        return queryset

    def rows(self) -> list:
        raise NotImplementedError

    def chart(self, rows):
        return None

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context.update(chart=self.chart(self.object_list), **self.summary())
        return context

    def summary(self) -> dict:
        return {}

    @cached_property
    def period(self) -> tuple[date, date]:
        months = selectors.months_back(int(self.chosen.get("months") or 12))
        return months[0], timezone.localdate() + timedelta(days=1)


class SellersReportView(FigureReportView):
    page_title = _("Sellers")
    index_url_name = "observatory_sellers"
    index_results_url_name = "observatory_sellers_results"
    filterset_class = SellerFilterSet
    export_filename = "sellers"
    columns = [
        Column("label", label=_("Group")),
        Column("total", label=_("Sellers")),
        Column("verified", label=_("Verified"), accessor=lambda row: row.by_status[Seller.Status.VERIFIED]),
        Column("pending", label=_("Pending"), accessor=lambda row: row.by_status[Seller.Status.PENDING]),
        Column("awaiting", label=_("Awaiting registration"),
               accessor=lambda row: row.by_status[Seller.Status.AWAITING_REGISTRATION]),
        Column("suspended", label=_("Suspended"), accessor=lambda row: row.by_status[Seller.Status.SUSPENDED]),
        Column("inactive", label=_("Inactive")),
        Column("reporting_members", label=_("Gave their members")),
        Column("members_women", label=_("Women members")),
        Column("members_men", label=_("Men members")),
    ]
    list_export = ["key", "label", "total", "verified", "pending", "awaiting_registration", "suspended", "inactive",
                   "reporting_members", "members_women", "members_men"]
    export_headings = {"key": _("Code"), "label": _("Group"), "total": _("Sellers"), "verified": _("Verified"),
                       "pending": _("Pending"), "awaiting_registration": _("Awaiting registration"),
                       "suspended": _("Suspended"), "inactive": _("Inactive"),
                       "reporting_members": _("Gave their members"), "members_women": _("Women members"),
                       "members_men": _("Men members")}

    def rows(self):
        return [ExportRow(figure) for figure in selectors.sellers_by(self.chosen.get("by") or "region")]

    def chart(self, rows):
        return charts.bar_chart(_("Verified and active sellers"), [(row.label, row.active) for row in rows],
                                value_label=_("Active sellers"))


class ExportRow:
    """A SellerFigures with its statuses as attributes, for the spreadsheet export."""

    def __init__(self, figure):
        self._figure = figure
        for status, count in figure.by_status.items():
            setattr(self, status, count)

    def __getattr__(self, name):
        return getattr(self._figure, name)


class ProductsReportView(FigureReportView):
    page_title = _("Products and labels")
    index_url_name = "observatory_products"
    index_results_url_name = "observatory_products_results"
    filterset_class = ProductFilterSet
    export_filename = "products"
    columns = [Column("label", label=_("Group")), Column("products", label=_("Listed products")),
               Column("labelled", label=_("With an active label")), Column("sellers", label=_("Sellers"))]
    list_export = ["key", "label", "products", "labelled", "sellers"]
    export_headings = {"key": _("Code"), "label": _("Group"), "products": _("Listed products"),
                       "labelled": _("With an active label"), "sellers": _("Sellers")}

    def rows(self):
        return selectors.products_by(self.chosen.get("by") or "craft")

    def chart(self, rows):
        return charts.bar_chart(_("Listed products"), [(row.label, row.products) for row in rows],
                                value_label=_("Products"))


class CertificatesReportView(FigureReportView):
    page_title = _("Certificates")
    index_url_name = "observatory_certificates"
    index_results_url_name = "observatory_certificates_results"
    filterset_class = PeriodFilterSet
    export_filename = "certificates"
    columns = [Column("month", label=_("Month"), accessor=lambda row: row.month.strftime("%Y-%m")),
               Column("scheme", label=_("Label")), Column("issued", label=_("Issued")),
               Column("expired", label=_("Expired")), Column("revoked", label=_("Revoked"))]
    list_export = ["month", "scheme", "issued", "expired", "revoked"]
    export_headings = {"month": _("Month"), "scheme": _("Label"), "issued": _("Issued"), "expired": _("Expired"),
                       "revoked": _("Revoked")}

    def rows(self):
        names = {scheme.code: scheme.localized_name for scheme in LabelScheme.objects.all()}
        rows = selectors.certificates_by_scheme_and_month(start=self.period[0], end=self.period[1])
        for row in rows:
            row.scheme = f"{names.get(row.scheme, row.scheme)} ({row.scheme})"
        return rows

    def chart(self, rows):
        issued = {}
        for row in rows:
            issued[row.month] = issued.get(row.month, 0) + row.issued
        months = selectors.months_back(int(self.chosen.get("months") or 12))
        return charts.line_chart(_("Certificates issued per month"),
                                 [(month.strftime("%Y-%m"), issued.get(month, 0)) for month in months],
                                 value_label=_("Issued"))


class ExportsReportView(FigureReportView):
    page_title = _("Exports by destination and month")
    index_url_name = "observatory_exports"
    index_results_url_name = "observatory_exports_results"
    filterset_class = PeriodFilterSet
    export_filename = "exports"
    columns = [Column("month", label=_("Month"), accessor=lambda row: row.month.strftime("%Y-%m")),
               Column("destination", label=_("Destination"), accessor=lambda row: country_name(row.country)),
               Column("value", label=_("Value")), Column("orders", label=_("Orders")),
               Column("sellers", label=_("Sellers"))]
    list_export = ["month", "country", "value", "orders", "sellers"]
    export_headings = {"month": _("Month"), "country": _("Destination"), "value": _("Value"), "orders": _("Orders"),
                       "sellers": _("Sellers")}

    def rows(self):
        return selectors.exports_by_country_and_month(start=self.period[0], end=self.period[1])

    def chart(self, rows):
        months = selectors.months_back(int(self.chosen.get("months") or 12))
        return charts.line_chart(_("Exports per month (%(currency)s)") % {"currency": base_currency()},
                                 [(item.key, item.value) for item in selectors.exports_by_month(months=months)],
                                 value_label=_("Value"))

    def summary(self):
        by_country = {}
        for row in self.object_list:
            by_country[row.country] = by_country.get(row.country, 0) + row.value
        ranked = sorted(by_country.items(), key=lambda item: -item[1])
        return {"secondary_chart": charts.bar_chart(
            _("Exports by destination (%(currency)s)") % {"currency": base_currency()},
            [(country_name(country), value) for country, value in ranked], value_label=_("Value"))}


class FulfilmentReportView(FigureReportView):
    page_title = _("Order fulfilment")
    index_url_name = "observatory_fulfilment"
    index_results_url_name = "observatory_fulfilment_results"
    filterset_class = PeriodFilterSet
    export_filename = "fulfilment"
    columns = [Column("label", label=_("Status")), Column("count", label=_("Order parts"))]
    list_export = ["status", "label", "count"]
    export_headings = {"status": _("Code"), "label": _("Status"), "count": _("Order parts")}

    @cached_property
    def figures(self):
        return selectors.fulfilment_figures(start=self.period[0], end=self.period[1])

    def rows(self):
        labels = dict(SellerOrder.Status.choices)
        return [StatusRow(status, labels[status], count) for status, count in self.figures.by_status.items()]

    def chart(self, rows):
        return charts.bar_chart(_("Order parts by status"), [(row.label, row.count) for row in rows],
                                value_label=_("Order parts"))

    def summary(self):
        return {"fulfilment": self.figures}


def _percent(share: float | None) -> str:
    return "" if share is None else f"{round(share * 100)} %"


def _hours(hours: float | None) -> str:
    return "" if hours is None else f"{hours:.1f}"


class QuotesReportView(FigureReportView):
    """Requests for quote per region of the seller or per craft: how fast and how often sellers quote, and
    how many quotes became paid orders. Staff see every group, small ones included."""

    page_title = _("Requests for quote")
    index_url_name = "observatory_quotes"
    index_results_url_name = "observatory_quotes_results"
    filterset_class = QuoteFilterSet
    export_filename = "requests-for-quote"
    columns = [
        Column("label", label=_("Group")),
        Column("received", label=_("Requests received")),
        Column("sellers", label=_("Sellers")),
        Column("answered", label=_("Quoted")),
        Column("median_response_hours", label=_("Median hours to the first quote"),
               accessor=lambda row: _hours(row.median_response_hours)),
        Column("within_target_share", label=_("Answered within the target"),
               accessor=lambda row: _percent(row.within_target_share)),
        Column("converted", label=_("Became a paid order")),
        Column("conversion_share", label=_("Conversion"), accessor=lambda row: _percent(row.conversion_share)),
    ]
    list_export = ["key", "label", "received", "requests", "sellers", "answered", "median_response_hours", "due",
                   "answered_in_time", "within_target_share", "converted", "conversion_share"]
    export_headings = {"key": _("Code"), "label": _("Group"), "received": _("Requests received"),
                       "requests": _("Requests"), "sellers": _("Sellers"), "answered": _("Quoted"),
                       "median_response_hours": _("Median hours to the first quote"),
                       "due": _("Answered or past the target"), "answered_in_time": _("Answered within the target"),
                       "within_target_share": _("Share answered within the target"),
                       "converted": _("Became a paid order"), "conversion_share": _("Conversion")}

    def rows(self):
        rows = selectors.quote_figures(by=self.chosen.get("by") or "region", start=self.period[0], end=self.period[1])
        return [row if row.label else replace(row, label=_("Craft not given")) for row in rows]

    def chart(self, rows):
        return charts.bar_chart(_("Requests for quote received"), [(row.label, row.received) for row in rows],
                                value_label=_("Requests received"))


class StatusRow:
    def __init__(self, status, label, count):
        self.status, self.label, self.count = status, label, count


class DormantSellersReportView(FigureReportView):
    page_title = _("Inactive sellers")
    index_url_name = "observatory_inactive"
    index_results_url_name = "observatory_inactive_results"
    export_filename = "inactive-sellers"
    columns = [Column("legal_name", label=_("Seller")), Column("region", label=_("Region")),
               Column("email", label=_("Email")), Column("phone", label=_("Phone")),
               Column("verified_at", label=_("Verified"))]
    list_export = ["legal_name", "register_number", "region", "city", "email", "phone", "verified_at"]
    export_headings = {"legal_name": _("Seller"), "register_number": _("Register number"), "region": _("Region"),
                       "city": _("Town"), "email": _("Email"), "phone": _("Phone"), "verified_at": _("Verified")}

    def rows(self):
        return selectors.sellers_inactive()
