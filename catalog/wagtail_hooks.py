from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Material
from .selectors import seller_workspace_summaries


class MaterialViewSet(SnippetViewSet):
    model = Material
    icon = "tag"
    menu_label = _("Materials")
    list_display = ["name", "name_fr", "name_ar", "slug"]
    search_fields = ["name", "name_fr", "name_ar"]


register_snippet(MaterialViewSet)


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
