"""Chamber staff's report of what buyers look for and don't find, on Wagtail's report view (filters,
CSV and XLSX export). Access through the model's permission policy: the chamber staff group holds
``view_searchmiss`` (``search_groups_ensure``); sellers and inspectors do not."""

import django_filters
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy

from .models import SearchMiss


class SearchMissFilterSet(WagtailFilterSet):
    # The site's languages, each in its own name (read when the form is built, not at import).
    language = django_filters.ChoiceFilter(label=_("Language"), choices=lambda: settings.LANGUAGES)
    outcome = django_filters.ChoiceFilter(label=_("Last outcome"), choices=SearchMiss.Outcome.choices)

    class Meta:
        model = SearchMiss
        fields = ["language", "outcome"]


class SearchMissReportView(ReportView):
    page_title = _("What buyers look for and don't find")
    header_icon = "search"
    index_url_name = "search_misses"
    index_results_url_name = "search_misses_results"
    filterset_class = SearchMissFilterSet
    model = SearchMiss
    permission_policy = ModelPermissionPolicy(SearchMiss)
    permission_required = "view"
    export_filename = "searches-that-found-nothing"
    columns = [
        Column("query", label=_("Query")),
        Column("language", label=_("Language")),
        Column("count", label=_("Searches")),
        Column("get_outcome_display", label=_("Last outcome")),
        DateColumn("first_seen", label=_("First searched")),
        DateColumn("last_seen", label=_("Last searched")),
    ]
    list_export = ["query", "language", "count", "outcome", "first_seen", "last_seen"]

    def get_queryset(self):
        return SearchMiss.objects.order_by("-count", "-last_seen")
