"""The listing search backend named by the LISTING_SEARCH_BACKENDS setting, resolved on first use."""

from functools import cache

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string

from .base import ListingQuery, ListingResults, ListingSearchBackend

__all__ = ["ListingQuery", "ListingResults", "ListingSearchBackend", "get_listing_backend"]


@cache
def get_listing_backend(alias: str = "default") -> ListingSearchBackend:
    config = settings.LISTING_SEARCH_BACKENDS[alias]
    backend_class = import_string(config["BACKEND"])
    return backend_class(**config.get("OPTIONS", {}))


@receiver(setting_changed)
def _forget_backend(setting, **kwargs):
    if setting == "LISTING_SEARCH_BACKENDS":
        get_listing_backend.cache_clear()
