"""One generation number for everything derived from the published catalogue.

Cached pages, routes, menus and lookups are keyed by it; publishing, unpublishing, moving or
deleting a page, a product change or a site change starts a new generation, so all of them go stale
at once without flushing a cache that may be shared with other uses of Redis.
"""

import time

from django.core.cache import cache

GENERATION_KEY = "catalog-generation"


def catalog_generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        generation = cache.get(GENERATION_KEY)
    return generation or 0  # 0 while the cache is down: nothing is kept under it anyway


def catalog_invalidate() -> None:
    """Make everything cached from the catalogue stale."""
    cache.set(GENERATION_KEY, time.time_ns(), timeout=None)


def cached(key: str, compute, timeout: int = 3600):
    """``compute()``, kept in the cache for this generation of the catalogue."""
    full_key = f"catalog:{catalog_generation()}:{key}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, timeout)
    return value
