"""Sellers, regions and trades in the Wagtail admin, under one "Sellers" menu."""

from django.contrib.auth.models import Permission
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.admin.ui.components import Component
from wagtail.admin.widgets import Button, HeaderButton
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import EditView, IndexView, SnippetViewSet, SnippetViewSetGroup

from .admin_paginator import BoundedCountPaginator
from .admin_scope import ScopedDocumentsAdminAPIViewSet, ScopedImagesAdminAPIViewSet, pages_visible_to
from .admin_views import (
    DECISION_LABELS,
    SellerDecisionView,
    SellerDocumentDownloadView,
    SellerMembersView,
    SellerWholesaleTermsView,
    decisions_for,
)
from .models import Region, RegistrationGuide, Seller, SellerMember, Trade
from .permissions import seller_member_permission_policy, seller_permission_policy
from .selectors import sellers_awaiting_decision

# Before the viewsets below look their models' policies up (Wagtail would make a plain one otherwise).
register_permission_policy(Seller, seller_permission_policy)
register_permission_policy(SellerMember, seller_member_permission_policy)

DECISION_ICONS = {"verify": "check", "reject": "cross", "suspend": "warning", "reinstate": "undo"}


class SellerEditView(EditView):
    """The application's own page: the decisions open to it (Verify, Reject…) are buttons in its
    header, for those the viewset's permission policy lets change sellers (chamber staff)."""

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if not self.permission_policy.user_has_permission(self.request.user, "change"):
            return buttons
        for position, decision in enumerate(decisions_for(self.object)):
            buttons.append(
                HeaderButton(
                    DECISION_LABELS[decision],
                    url=reverse("wagtailsnippets_sellers_seller:decide", args=(self.object.pk, decision)),
                    icon_name=DECISION_ICONS[decision],
                    classname="button-secondary" if decision != "verify" else "",
                    attrs={"data-seller-decision": decision},
                    priority=10 + position,
                )
            )
        return buttons


class SellerIndexView(IndexView):
    paginator_class = BoundedCountPaginator  # the register grows to hundreds of thousands of sellers


class SellerViewSet(SnippetViewSet):
    model = Seller
    edit_view_class = SellerEditView
    icon = "group"
    menu_label = _("Sellers")
    list_display = ["legal_name", "kind", "register_number", "region", "status"]
    list_filter = ["status", "kind", "country", "region", "trades"]
    search_fields = ["legal_name", "name_alternate", "register_number", "city", "email"]
    ordering = ["legal_name"]
    index_view_class = SellerIndexView
    panels = [
        MultiFieldPanel(
            [FieldPanel("kind"), FieldPanel("legal_name"), FieldPanel("name_alternate"), FieldPanel("slug"),
             FieldPanel("register_number")],
            heading=_("Identity"),
        ),
        MultiFieldPanel(
            [FieldPanel("country"), FieldPanel("region"), FieldPanel("city"), FieldPanel("trades"), FieldPanel("founded_year"),
             FieldPanel("members_women"), FieldPanel("members_men")],
            heading=_("Place and trades"),
        ),
        MultiFieldPanel(
            [FieldPanel("contact_name"), FieldPanel("email"), FieldPanel("phone")], heading=_("Contact")
        ),
        MultiFieldPanel(
            [FieldPanel("postal_address"), FieldPanel("contact_email"), FieldPanel("eu_responsible_person"),
             FieldPanel("approved_exporter_number")],
            heading=_("Trader information for buyers abroad"),
        ),
        MultiFieldPanel([FieldPanel("return_policy"), FieldPanel("return_address")], heading=_("Returns")),
        MultiFieldPanel([FieldPanel("first_order_minimum"), FieldPanel("reorder_minimum"),
                         FieldPanel("made_to_order_capacity")], heading=_("Wholesale terms")),
        FieldPanel("trusted"),
    ]

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("decide/<int:pk>/<slug:decision>/", SellerDecisionView.as_view(), name="decide"),
            path("document/<int:pk>/", SellerDocumentDownloadView.as_view(), name="document"),
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


class RegistrationGuideViewSet(SnippetViewSet):
    model = RegistrationGuide
    icon = "help"
    menu_label = _("Registration guides")
    list_display = ["country", "locale"]
    list_filter = ["country", "locale"]


class SellersViewSetGroup(SnippetViewSetGroup):
    items = (SellerViewSet, RegionViewSet, TradeViewSet, RegistrationGuideViewSet)
    menu_icon = "group"
    menu_label = _("Sellers")
    menu_name = "sellers"


register_snippet(SellersViewSetGroup)


@hooks.register("register_log_actions")
def register_seller_log_actions(actions):
    actions.register_action("sellers.register", _("Register seller"), _("Seller registered"))
    actions.register_action("sellers.wholesale_terms", _("Set wholesale terms"), _("Wholesale terms set"))
    actions.register_action("sellers.verify", _("Verify seller"), _("Seller verified"))
    actions.register_action("sellers.reject", _("Reject seller"), _("Seller's application rejected"))
    actions.register_action("sellers.suspend", _("Suspend seller"), _("Seller suspended"))
    actions.register_action("sellers.reinstate", _("Reinstate seller"), _("Seller reinstated"))
    actions.register_action("sellers.member_invite", _("Invite member"), _("Member invited"))
    actions.register_action("sellers.member_accept", _("Accept invitation"), _("Invitation accepted: member joined"))
    actions.register_action("sellers.member_decline", _("Decline invitation"), _("Invitation declined"))
    actions.register_action("sellers.member_revoke", _("Withdraw invitation"), _("Invitation withdrawn"))
    actions.register_action("sellers.member_remove", _("Remove member"), _("Member removed"))
    actions.register_action("sellers.member_role_change", _("Change member's role"), _("Member's role changed"))


@hooks.register("register_snippet_listing_buttons")
def seller_decision_buttons(snippet, user, next_url=None):
    if not isinstance(snippet, Seller) or not seller_permission_policy.user_has_permission(user, "change"):
        return []
    return [
        Button(
            DECISION_LABELS[decision],
            reverse("wagtailsnippets_sellers_seller:decide", args=(snippet.pk, decision)),
            priority=10 + position,
        )
        for position, decision in enumerate(decisions_for(snippet))
    ]


class NewSellerApplicationsPanel(Component):
    """Chamber staff's dashboard panel: the applications awaiting a decision, newest first."""

    order = 40
    template_name = "sellers/admin/new_applications_panel.html"
    shown = 10

    def __init__(self, applications):
        self.applications = applications

    def get_context_data(self, parent_context=None):
        return {
            "count": self.applications.count(),
            "applications": self.applications[: self.shown],
            "list_url": reverse("wagtailsnippets_sellers_seller:list"),
        }


@hooks.register("construct_homepage_panels")
def add_new_seller_applications_panel(request, panels):
    if seller_permission_policy.user_has_permission(request.user, "change"):
        panels.append(NewSellerApplicationsPanel(sellers_awaiting_decision()))


@hooks.register("register_permissions")
def seller_member_permissions():
    """Lets an administrator give chamber staff the members area (view, remove, change roles) in the
    group editor; managers act on their own seller without them."""
    return Permission.objects.filter(
        content_type__app_label="sellers", codename__in=("view_sellermember", "change_sellermember", "delete_sellermember")
    )


@hooks.register("register_admin_urls")
def seller_member_urls():
    return [path("seller-members/", SellerMembersView.as_view(), name="seller_members"),
            path("seller-wholesale-terms/", SellerWholesaleTermsView.as_view(), name="seller_wholesale_terms")]


class SellerWholesaleTermsMenuItem(MenuItem):
    def is_shown(self, request):
        return SellerMember.objects.filter(user=request.user, role=SellerMember.Role.MANAGER).exists()


@hooks.register("register_admin_menu_item")
def seller_wholesale_terms_menu_item():
    return SellerWholesaleTermsMenuItem(_("Wholesale terms"), reverse("seller_wholesale_terms"), icon_name="tag",
                                        order=251)


class SellerMembersMenuItem(MenuItem):
    def is_shown(self, request):
        return seller_member_permission_policy.user_has_permission(request.user, "view")


@hooks.register("register_admin_menu_item")
def seller_members_menu_item():
    return SellerMembersMenuItem(_("Members"), reverse("seller_members"), icon_name="group", order=250)


@hooks.register("construct_page_chooser_queryset")
def page_chooser_scoped(pages, request):
    """The page chooser (browse and search) offers only the pages the user may see."""
    if request.user.is_superuser:
        return pages
    return pages.filter(pk__in=pages_visible_to(request.user).values("pk"))


# After Wagtail's own images and documents apps (order 0) have registered their unscoped endpoints.
@hooks.register("construct_admin_api", order=100)
def admin_api_scoped(router):
    router.register_endpoint("images", ScopedImagesAdminAPIViewSet)
    router.register_endpoint("documents", ScopedDocumentsAdminAPIViewSet)
