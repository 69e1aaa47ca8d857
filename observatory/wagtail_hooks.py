"""The sector reports in the admin's Reports menu, for chamber staff."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .admin_views import (
    CertificatesReportView,
    DormantSellersReportView,
    ExportsReportView,
    FulfilmentReportView,
    ProductsReportView,
    QuotesReportView,
    SellersReportView,
    sector_figures_permission_policy,
)

REPORTS = [
    ("sellers", SellersReportView, _("Sector: sellers")),
    ("products", ProductsReportView, _("Sector: products and labels")),
    ("certificates", CertificatesReportView, _("Sector: certificates")),
    ("exports", ExportsReportView, _("Sector: exports")),
    ("fulfilment", FulfilmentReportView, _("Sector: order fulfilment")),
    ("quotes", QuotesReportView, _("Sector: requests for quote")),
    ("inactive", DormantSellersReportView, _("Sector: inactive sellers")),
]


@hooks.register("register_admin_urls")
def register_observatory_urls():
    urls = []
    for slug, view, _label in REPORTS:
        urls += [
            path(f"reports/sector/{slug}/", view.as_view(), name=f"observatory_{slug}"),
            path(f"reports/sector/{slug}/results/", view.as_view(results_only=True), name=f"observatory_{slug}_results"),
        ]
    return urls


class SectorReportMenuItem(MenuItem):
    def is_shown(self, request):
        return sector_figures_permission_policy.user_has_permission(request.user, "view")


def _menu_item(slug, label, order):
    return lambda: SectorReportMenuItem(label, reverse(f"observatory_{slug}"), icon_name="table", order=order)


for _position, (_slug, _view, _label) in enumerate(REPORTS):
    hooks.register("register_reports_menu_item", _menu_item(_slug, _label, 900 + _position))
