"""Whole-page cache for the public site.

Django's cache middleware, with two additions:
- it is on only when PAGE_CACHE_SECONDS is above zero, and never for the admin;
- its keys carry a generation number, so publishing any page or changing a product makes every
  cached page stale at once (``page_cache_invalidate``) without flushing the cache, which may be
  shared with other uses of Redis.

Pages vary on the language (Django adds it to the key) and on cookies (the session, the buyer's
currency), so a visitor with a basket, an account or another currency never gets someone else's copy.
"""

import time
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.middleware.cache import FetchFromCacheMiddleware, UpdateCacheMiddleware

GENERATION_KEY = "page-cache-generation"
UNCACHED_PATH_PREFIXES = ("/admin/", "/healthz", "/django-admin/", "/documents/", "/static/", "/media/")

_request_key_prefix: ContextVar[str] = ContextVar("page_cache_key_prefix", default="page")


def page_cache_invalidate() -> None:
    """Make every cached page stale."""
    cache.set(GENERATION_KEY, time.time_ns(), timeout=None)


def _key_prefix() -> str:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = time.time_ns()
        cache.add(GENERATION_KEY, generation, timeout=None)
        generation = cache.get(GENERATION_KEY, generation)
    return f"page:{generation}"


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
        _request_key_prefix.set(_key_prefix())
        return super().process_request(request)


class UpdatePageCacheMiddleware(_GenerationKeyPrefix, UpdateCacheMiddleware):
    pass
