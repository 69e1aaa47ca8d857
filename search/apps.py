from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    label = "listing_search"
    verbose_name = _("Listing search")

    def ready(self):
        from django.db.models.signals import post_migrate

        from catalog.listing_providers import category_listing_register

        from . import signals  # noqa: F401
        from .listing import category_page_listing

        # Category pages list their products through search, without the catalog importing it.
        category_listing_register(category_page_listing)
        post_migrate.connect(_search_groups_ensure, sender=self)


def _search_groups_ensure(sender, using="default", **kwargs):
    # apps.py loads before the app registry is ready: what needs the models is imported when migrate runs.
    from .services import search_groups_ensure

    search_groups_ensure(using=using)
