"""Search in the admin: the synonym sets staff edit, and the report of searches that found nothing."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .admin_views import SearchMissReportView
from .models import SynonymSet


class SynonymSetViewSet(SnippetViewSet):
    model = SynonymSet
    icon = "search"
    menu_label = _("Search synonyms")
    list_display = ["__str__", "note", "is_sample"]
    list_filter = ["is_sample"]
    search_fields = ["terms", "note"]


register_snippet(SynonymSetViewSet)


@hooks.register("register_admin_urls")
def register_search_report_urls():
    return [
        path("reports/searches-not-found/", SearchMissReportView.as_view(), name="search_misses"),
        path("reports/searches-not-found/results/", SearchMissReportView.as_view(results_only=True),
             name="search_misses_results"),
    ]


class SearchMissMenuItem(MenuItem):
    def is_shown(self, request):
        return SearchMissReportView.permission_policy.user_has_permission(request.user, "view")


@hooks.register("register_reports_menu_item")
def register_search_report_menu_item():
    return SearchMissMenuItem(SearchMissReportView.page_title, reverse("search_misses"), icon_name="search", order=950)
