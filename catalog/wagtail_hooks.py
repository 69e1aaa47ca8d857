from django.contrib import messages
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.action_menu import CancelWorkflowMenuItem, SubmitForModerationMenuItem
from wagtail.admin.ui.components import Component
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from sellers.models import SellerMember

from .listing_admin import product_listing_urls
from .models import CraftHsSuggestion, Material
from .selectors import seller_workspace_summaries
from .services import page_translation_prefill
from .translation_admin import translation_queue_menu_item, translation_queue_urls


class MaterialViewSet(SnippetViewSet):
    model = Material
    icon = "tag"
    menu_label = _("Materials")
    list_display = ["name", "name_fr", "name_ar", "slug"]
    search_fields = ["name", "name_fr", "name_ar"]


register_snippet(MaterialViewSet)


class CraftHsSuggestionViewSet(SnippetViewSet):
    model = CraftHsSuggestion
    icon = "tag"
    menu_label = _("HS code suggestions")
    list_display = ["craft", "hs_code", "note", "is_sample"]
    list_filter = ["is_sample"]
    search_fields = ["hs_code", "note", "craft__name", "craft__name_fr"]


register_snippet(CraftHsSuggestionViewSet)


class SellerWorkspacePanel(Component):
    """The seller's own dashboard panel: its listings and what awaits an action."""

    order = 50
    template_name = "catalog/admin/seller_workspace_panel.html"

    def __init__(self, summaries):
        self.summaries = summaries

    def get_context_data(self, parent_context=None):
        return {"summaries": self.summaries}


@hooks.register("construct_homepage_panels")
def add_seller_workspace_panel(request, panels):
    summaries = seller_workspace_summaries(user=request.user)
    if summaries:
        panels.append(SellerWorkspacePanel(summaries))


@hooks.register("register_admin_urls")
def register_product_listing_urls():
    return product_listing_urls()


@hooks.register("register_admin_urls")
def register_translation_queue_urls():
    return translation_queue_urls()


@hooks.register("register_reports_menu_item")
def register_translation_queue_menu_item():
    return translation_queue_menu_item()


@hooks.register("after_convert_alias_page")
def translation_started(request, page):
    """Translating starts from Wagtail's "convert alias"; a configured provider pre-fills the draft."""
    page_translation_prefill(page=page, user=request.user)


# --- plain words in the page editor, where the words are ours to choose -----------------------------


class SendForCheckingMenuItem(SubmitForModerationMenuItem):
    """Wagtail's "Submit to <workflow>", said as a seller would."""

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        state = context.get("page") and context["page"].current_workflow_state
        if state and state.status == state.STATUS_NEEDS_CHANGES:
            context["label"] = _("Send for checking again")
        else:
            context["label"] = _("Send for checking")
        return context


class TakeBackMenuItem(CancelWorkflowMenuItem):
    label = _("Take it back to change it")


PLAIN_MENU_ITEMS = {"action-submit": SendForCheckingMenuItem, "action-cancel-workflow": TakeBackMenuItem}


@hooks.register("construct_page_action_menu")
def page_actions_in_plain_words(menu_items, request, context):
    for position, item in enumerate(menu_items):
        plain = PLAIN_MENU_ITEMS.get(item.name)
        if plain is not None and type(item) is not plain:
            menu_items[position] = plain(order=item.order)


@hooks.register("before_edit_page")
def explain_a_page_being_checked(request, page):
    """Wagtail locks a page being checked for everyone but the checkers; the seller who sent it reads
    why, and how to change it anyway (take it back, change it, send it again)."""
    if request.method != "GET" or not SellerMember.objects.filter(user=request.user).exists():
        return None
    lock = page.get_lock()
    state = page.current_workflow_state
    if lock is not None and lock.for_user(request.user) and state is not None and state.status == state.STATUS_IN_PROGRESS:
        if state.user_can_cancel(request.user):
            messages.info(request, _(
                "The chamber is checking this product, so it cannot be changed now. To change it, choose "
                "“Take it back to change it” in the menu at the bottom, make your changes, then send it for "
                "checking again."
            ))
        else:
            messages.info(request, _("The chamber is checking this product, so it cannot be changed now."))
    return None
