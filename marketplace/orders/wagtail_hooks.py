"""Orders in the admin: orders for chamber staff, and each seller's part of them for its members."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.permissions import register_permission_policy

from .admin import OrderRecordPolicy, OrderViewSet
from .document_views import document_admin_urlpatterns
from .models import Order, SellerOrder
from .permissions import SellerOrderPolicy
from .seller_order_admin import SellerOrderViewSet, seller_orders_waiting
from .tax_report_views import TaxCollectedReportView

register_permission_policy(Order, OrderRecordPolicy(Order))
TaxCollectedReportView.permission_policy = OrderRecordPolicy(Order)


@hooks.register("register_admin_urls")
def register_tax_report_urls():
    return [
        path("reports/tax-collected/", TaxCollectedReportView.as_view(), name="orders_tax_collected"),
        path("reports/tax-collected/results/", TaxCollectedReportView.as_view(results_only=True),
             name="orders_tax_collected_results"),
    ]


class TaxReportMenuItem(MenuItem):
    def is_shown(self, request):
        return TaxCollectedReportView.permission_policy.user_has_permission(request.user, "view")


@hooks.register("register_reports_menu_item")
def register_tax_report_menu_item():
    return TaxReportMenuItem(_("Tax collected"), reverse("orders_tax_collected"), icon_name="table", order=950)


register_permission_policy(SellerOrder, SellerOrderPolicy(SellerOrder))


@hooks.register("register_admin_viewset")
def register_order_viewset():
    return OrderViewSet()


@hooks.register("register_admin_viewset")
def register_seller_order_viewset():
    return SellerOrderViewSet()


@hooks.register("register_log_actions")
def register_seller_order_log_actions(actions):
    actions.register_action("marketplace.seller_order_accept", _("Accept order part"), _("Order part accepted"))
    actions.register_action("marketplace.seller_order_decline", _("Decline order part"), _("Order part declined"))
    actions.register_action("marketplace.seller_order_pack", _("Pack order part"), _("Order part packed"))
    actions.register_action("marketplace.seller_order_ship", _("Ship order part"), _("Order part shipped"))
    actions.register_action("marketplace.seller_order_deliver", _("Deliver order part"), _("Order part delivered"))
    actions.register_action("marketplace.seller_order_refund", _("Refund order part"), _("Order part refund"))
    actions.register_action("marketplace.seller_order_cancel", _("Cancel order part"),
                            _("Order part cancelled: order refunded"))
    actions.register_action("marketplace.seller_order_refund_attributed", _("Record a refund on an order part"),
                            _("Order part partly refunded"))


class SellerOrdersPanel(Component):
    """The dashboard's note of order parts waiting for the user: to accept, to ship, or stuck."""

    order = 40
    template_name = "marketplace/admin/seller_orders_panel.html"

    def __init__(self, counts):
        self.counts = counts

    def get_context_data(self, parent_context=None):
        return {"counts": self.counts, "index_url": reverse("seller_orders:index")}


@hooks.register("construct_homepage_panels")
def add_seller_orders_panel(request, panels):
    counts = seller_orders_waiting(request.user)
    if counts:
        panels.append(SellerOrdersPanel(counts))


@hooks.register("register_admin_urls")
def register_seller_order_document_urls():
    return document_admin_urlpatterns()
