from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    label = "listing_search"
    verbose_name = _("Listing search")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import signals  # noqa: F401

        post_migrate.connect(_search_groups_ensure, sender=self)


def _search_groups_ensure(sender, using="default", **kwargs):
    from .services import search_groups_ensure

    search_groups_ensure(using=using)
