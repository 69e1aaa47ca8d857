from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    label = "listing_search"
    verbose_name = _("Listing search")

    def ready(self):
        from . import signals  # noqa: F401
