"""Whole-page cache for the public site.

Django's cache middleware, with two additions:
- it is on only when PAGE_CACHE_SECONDS is above zero, and never for the admin;
- its keys carry the catalogue's generation (``catalog.cache``), so publishing any page or changing
  a product makes every cached page stale at once.

Pages vary on the language (Django adds it to the key) and on cookies (the session, the buyer's
currency), so a visitor with a basket, an account or another currency never gets someone else's copy.
"""

from contextvars import ContextVar

from django.conf import settings
from django.middleware.cache import FetchFromCacheMiddleware, UpdateCacheMiddleware

from catalog.cache import catalog_generation

# /verify/: a certificate's status must never be served stale.
UNCACHED_PATH_PREFIXES = ("/admin/", "/verify/", "/api/v1/certificates/", "/healthz", "/django-admin/", "/documents/", "/static/", "/media/")

_request_key_prefix: ContextVar[str] = ContextVar("page_cache_key_prefix", default="page")


def _is_cacheable(request) -> bool:
    return settings.PAGE_CACHE_SECONDS > 0 and not request.path.startswith(UNCACHED_PATH_PREFIXES)


class _GenerationKeyPrefix:
    """``key_prefix`` of Django's middleware, read per request rather than fixed at start-up."""

    @property
    def key_prefix(self):
        return _request_key_prefix.get()

    @key_prefix.setter
    def key_prefix(self, value):
        pass  # Django's __init__ sets it from settings; ours comes from the generation.

    @property
    def cache_timeout(self):
        return settings.PAGE_CACHE_SECONDS

    @cache_timeout.setter
    def cache_timeout(self, value):
        pass


class FetchPageCacheMiddleware(_GenerationKeyPrefix, FetchFromCacheMiddleware):
    def process_request(self, request):
        if not _is_cacheable(request):
            request._cache_update_cache = False
            return None
        _request_key_prefix.set(f"page:{catalog_generation()}")
        return super().process_request(request)


class UpdatePageCacheMiddleware(_GenerationKeyPrefix, UpdateCacheMiddleware):
    pass
