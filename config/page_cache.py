"""Whole-page cache for the public site, shared by every visitor who is not signed in.

- It is on only when PAGE_CACHE_SECONDS is above zero, and never for the admin or the paths below.
- A page's key is its address (host, path, query), the language and the currency: nothing personal.
  A shopper with a basket (a session) and a chosen currency gets the same copy as any other visitor
  of that language and currency. What is personal on a public page comes from cookies that the page
  reads (the basket count, ``config.personal_cookies``), and forms on cached pages carry no CSRF
  token (the basket checks the Origin header instead).
- Signed-in visitors (the ``signed_in`` cookie, kept by ``config.personal_cookies``, or else a session
  holding a user) always get a fresh page, and their pages are never stored: favourites, trade prices
  and the userbar are theirs.
- Nothing is stored that set a cookie, used the CSRF token, was rendered for a signed-in user or
  says ``private``/``no-store``/``no-cache`` (a trade buyer's product page).
- Staleness: keys carry the catalogue's generation (``catalog.cache``), which structural changes
  start anew; and every copy keeps the stamps of the tags its rendering recorded (``product:<id>``
  for each product shown, ``listings`` for a listing). A sale stamps its product's tag, so that
  product's page and the listings showing it go stale while every other page stays.

Responses say ``X-Page-Cache: hit`` or ``miss`` (``bench`` counts the hit ratio from it).
"""

import hashlib
import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.utils.cache import patch_response_headers
from django.utils.translation import get_language

from catalog.cache import cache_tag_stamps, cache_tags_collect, cache_tags_collected, catalog_generation

# /verify/: a certificate's status must never be served stale.
UNCACHED_PATH_PREFIXES = ("/admin/", "/verify/", "/api/v1/certificates/", "/healthz", "/django-admin/", "/documents/", "/static/", "/media/")
SIGNED_IN_COOKIE = "signed_in"
HIT_HEADER = "X-Page-Cache"
_UNCACHEABLE_DIRECTIVES = ("private", "no-store", "no-cache")


def _fetchable(request) -> bool:
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and SIGNED_IN_COOKIE not in request.COOKIES
        and not request.path.startswith(UNCACHED_PATH_PREFIXES)
    )


def _signed_in_session(request) -> bool:
    """A session that holds a user, though its cookie ``signed_in`` is missing (a session from before
    that cookie, or one a browser dropped it from): one read of the session, only for visitors with one."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES or not hasattr(request, "session"):
        return False
    return SESSION_KEY in request.session


def page_cache_key(request) -> str:
    address = f"{request.build_absolute_uri()}|{get_language()}|{getattr(request, 'currency', '')}"
    return f"page:{catalog_generation()}:{hashlib.sha256(address.encode()).hexdigest()}"


def _storable(request, response) -> bool:
    if request.method != "GET" or response.status_code != 200 or response.streaming or response.cookies:
        return False
    cache_control = response.get("Cache-Control", "")
    if any(directive in cache_control for directive in _UNCACHEABLE_DIRECTIVES):
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or request.META.get("CSRF_COOKIE_USED"):
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


class PageCacheMiddleware:
    """After the session, language and currency middleware, which the key needs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _fetchable(request) or _signed_in_session(request):
            return self.get_response(request)
        key = page_cache_key(request)
        kept = cache.get(key)
        if kept is not None:
            stamps, response = kept
            if cache_tag_stamps(stamps) == stamps:
                response[HIT_HEADER] = "hit"
                return response

        started = time.time_ns()
        token = cache_tags_collect()
        try:
            response = self.get_response(request)
        finally:
            tags = cache_tags_collected(token)
        if _storable(request, response):
            stamps = cache_tag_stamps(tags)
            # A tag stamped while this page was rendering: the page may show the old state; keep nothing.
            if all(stamp < started for stamp in stamps.values()):
                patch_response_headers(response, settings.PAGE_CACHE_SECONDS)
                cache.set(key, (stamps, response), settings.PAGE_CACHE_SECONDS)
        response[HIT_HEADER] = "miss"
        return response
