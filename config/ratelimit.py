"""Request rate limits per client address, counted in the cache: 429 with Retry-After when exceeded.

A fixed window per scope (`settings.RATE_LIMITS`, "count/s|m|h"). The limiter fails open: when the
cache (Redis) does not answer, the request is served and a warning logged, since refusing every
search or checkout while Redis restarts would be the outage the limit is meant to prevent.
"""

import functools
import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from .client_address import client_address

logger = logging.getLogger(__name__)

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
MESSAGE = _("Too many requests. Please wait %(seconds)d seconds and try again.")


def rate_parse(rate: str) -> tuple[int, int]:
    """"30/m" -> (30, 60): how many requests in how many seconds."""
    count, unit = rate.split("/")
    return int(count), UNITS[unit.strip()[-1]] * int(unit.strip()[:-1] or 1)


def rate_limit_wait(*, scope: str, client: str) -> int:
    """Seconds this client must wait before its next request in this scope; 0 if it may go on now."""
    limit, window = rate_parse(settings.RATE_LIMITS[scope])
    now = int(time.time())
    client_key = hashlib.sha256(client.encode()).hexdigest()[:32]
    key = f"ratelimit:{scope}:{client_key}:{now // window}"
    try:
        if cache.add(key, 1, timeout=window + 1):
            count = 1
        else:
            try:
                count = cache.incr(key)
            except ValueError:  # the window's key expired between add() and incr()
                count = 1 if cache.add(key, 1, timeout=window + 1) else limit
    except Exception:
        logger.warning("Rate limit %s not checked: the cache is unavailable.", scope, exc_info=True)
        return 0
    if count is None:  # the degrading Redis cache answers a miss while Redis is down
        logger.warning("Rate limit %s not checked: the cache is unavailable.", scope)
        return 0
    return 0 if count <= limit else max(1, window - now % window)


def rate_limited(scope: str, *, methods: tuple[str, ...] = ("POST",), as_json: bool = False):
    """Limit a view's requests of these methods per client address; over the limit, answer 429."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method in methods and getattr(settings, "RATE_LIMITS_ENABLED", True):
                wait = rate_limit_wait(scope=scope, client=client_address(request))
                if wait:
                    return _too_many_requests(request, wait, as_json=as_json)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def _too_many_requests(request, wait: int, *, as_json: bool):
    message = MESSAGE % {"seconds": wait}
    if as_json:
        response = JsonResponse({"error": str(message)}, status=429)
    else:
        response = render(request, "accounts/rate_limited.html", {"message": message}, status=429)
    response["Retry-After"] = str(wait)
    return response


def too_many_requests(request):
    """The 429 page of the limits django-allauth counts itself (sign-up, password reset): ``handler429``."""
    return render(request, "accounts/rate_limited.html",
                  {"message": _("Too many requests. Please wait a few minutes and try again.")}, status=429)
