"""One generation number for everything derived from the published catalogue, and tags for the parts.

Cached pages, routes, menus and lookups are keyed by the generation; publishing, unpublishing, moving
or deleting a page, a seller or a site change starts a new generation, so all of them go stale at once
without flushing a cache that may be shared with other uses of Redis. A product's stock or price
changes only its tags (below): its own pages and the listings that show it (docs/architecture.md,
"Page cache").
"""

import time
from contextvars import ContextVar, Token

from django.core.cache import cache
from django.db import transaction

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


def cached(key: str, compute, timeout: int = 3600, tag: str | None = None):
    """``compute()``, kept in the cache for this generation of the catalogue (and this stamp of ``tag``)."""
    full_key = f"catalog:{catalog_generation()}:{key}"
    if tag is not None:
        full_key = f"{full_key}:{tag}:{cache_tag_stamps([tag])[tag]}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, timeout)
    return value


# --- Tags: finer than the generation. A page, or a value, rendered from a product records the tag
# ``product:<id>``; a listing records ``listings``. A change stamps its tags with the time, and whatever
# was kept under an older stamp of one of its tags is stale. A lost stamp (Redis evicted it or was
# flushed) reads as 0, which differs from any stamp kept, so it errs on the side of stale.

LISTINGS_TAG = "listings"

_rendering_tags: ContextVar[set | None] = ContextVar("cache_rendering_tags", default=None)


def product_tag(product_id) -> str:
    return f"product:{product_id}"


def cache_tags_collect() -> Token:
    """Start recording the tags of what is rendered from here on (the page cache does, per request)."""
    return _rendering_tags.set(set())


def cache_tags_collected(token: Token) -> set[str]:
    tags = _rendering_tags.get() or set()
    _rendering_tags.reset(token)
    return tags


def cache_tag(*tags: str) -> None:
    """What is being rendered shows these tags' objects: it goes stale when one of them changes."""
    collecting = _rendering_tags.get()
    if collecting is not None:
        collecting.update(tags)


def cache_tag_stamps(tags) -> dict[str, int]:
    tags = sorted(set(tags))
    found = cache.get_many([f"tag:{tag}" for tag in tags]) if tags else {}
    return {tag: found.get(f"tag:{tag}", 0) for tag in tags}


def cache_tags_invalidate(tags) -> None:
    """Make everything kept with one of these tags stale (the generation stays: nothing else goes)."""
    stamp = time.time_ns()
    tags = set(tags)
    if tags:
        cache.set_many({f"tag:{tag}": stamp for tag in tags}, timeout=None)


def cache_tags_invalidate_on_commit(tags) -> None:
    tags = set(tags)
    transaction.on_commit(lambda: cache_tags_invalidate(tags))
