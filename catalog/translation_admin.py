"""The translation queue: pages still showing another language's text, for their seller or chamber staff."""

import datetime

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.reports import PageReportView
from wagtail.models import Page
from wagtail.permissions import policy_registry

from .selectors import pages_to_translate


class TranslationQueueFilterSet(WagtailFilterSet):
    """Filters by language (the locale filter Wagtail adds to translatable models)."""

    class Meta:
        model = Page
        fields = []


class TranslationQueueView(PageReportView):
    page_title = _("Translations to write")
    header_icon = "globe"
    results_template_name = "catalog/admin/translation_queue_results.html"
    filterset_class = TranslationQueueFilterSet
    index_url_name = "translation_queue"
    index_results_url_name = "translation_queue_results"
    # Anyone who may edit pages sees the queue; the selector keeps it to the pages they may edit.
    any_permission_required = ["add", "change"]

    def get_filename(self):
        return f"translations-to-write-{datetime.date.today():%Y-%m-%d}"

    def get_queryset(self):
        self.queryset = pages_to_translate(user=self.request.user)
        return super().get_queryset()


class TranslationQueueMenuItem(MenuItem):
    def is_shown(self, request):
        return policy_registry.get_by_type(Page).user_has_any_permission(request.user, ["add", "change"])


def translation_queue_urls():
    return [
        path("reports/translations/", TranslationQueueView.as_view(), name="translation_queue"),
        path(
            "reports/translations/results/",
            TranslationQueueView.as_view(results_only=True),
            name="translation_queue_results",
        ),
    ]


def translation_queue_menu_item():
    return TranslationQueueMenuItem(
        _("Translations to write"), reverse("translation_queue"), name="translations-to-write", icon_name="globe", order=650
    )
