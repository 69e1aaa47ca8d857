"""Sellers, regions and trades in the Wagtail admin, under one "Sellers" menu."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Region, Seller, Trade


class SellerViewSet(SnippetViewSet):
    model = Seller
    icon = "group"
    menu_label = _("Sellers")
    list_display = ["legal_name", "kind", "register_number", "region", "status"]
    list_filter = ["status", "kind", "country", "region"]
    search_fields = ["legal_name", "register_number", "city", "email"]
    ordering = ["legal_name"]
    panels = [
        MultiFieldPanel(
            [FieldPanel("kind"), FieldPanel("legal_name"), FieldPanel("slug"), FieldPanel("register_number")],
            heading=_("Identity"),
        ),
        MultiFieldPanel(
            [FieldPanel("country"), FieldPanel("region"), FieldPanel("city"), FieldPanel("trades"), FieldPanel("founded_year")],
            heading=_("Place and trades"),
        ),
        MultiFieldPanel(
            [FieldPanel("contact_name"), FieldPanel("email"), FieldPanel("phone")], heading=_("Contact")
        ),
        FieldPanel("status"),
    ]


class RegionViewSet(SnippetViewSet):
    model = Region
    icon = "site"
    menu_label = _("Regions")
    list_display = ["name", "code", "country"]
    list_filter = ["country"]
    search_fields = ["name", "name_fr", "name_ar", "code"]


class TradeViewSet(SnippetViewSet):
    model = Trade
    icon = "list-ul"
    menu_label = _("Trades")
    list_display = ["code", "name", "level", "country"]
    list_filter = ["country", "level"]
    search_fields = ["name", "name_fr", "name_ar", "code"]


class SellersViewSetGroup(SnippetViewSetGroup):
    items = (SellerViewSet, RegionViewSet, TradeViewSet)
    menu_icon = "group"
    menu_label = _("Sellers")
    menu_name = "sellers"


register_snippet(SellersViewSetGroup)


@hooks.register("register_log_actions")
def register_seller_log_actions(actions):
    actions.register_action("sellers.register", _("Register seller"), _("Seller registered"))
    actions.register_action("sellers.verify", _("Verify seller"), _("Seller verified"))
    actions.register_action("sellers.reject", _("Reject seller"), _("Seller's application rejected"))
    actions.register_action("sellers.suspend", _("Suspend seller"), _("Seller suspended"))
    actions.register_action("sellers.reinstate", _("Reinstate seller"), _("Seller reinstated"))
