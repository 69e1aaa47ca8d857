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


def _search_groups_ensure(sender, **kwargs):
    from django.contrib.auth.management import create_permissions

    from .services import search_groups_ensure

    # This app may migrate before django.contrib.auth has created its permissions.
    create_permissions(sender, verbosity=0, using=kwargs.get("using", "default"))
    search_groups_ensure()
