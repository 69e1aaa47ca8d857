"""A Redis cache that degrades instead of failing.

Everything this site keeps in the cache (whole pages, routes, the catalogue generation, exchange
rates, Wagtail's site paths) can be recomputed from the database. So when Redis stops answering,
each cache call here behaves as a miss (reads return the default, writes are dropped), one warning is
logged per outage, and the site goes on serving pages uncached. After a failure, calls skip Redis for
``RETRY_AFTER_SECONDS`` rather than each waiting for a connection that will be refused.

``health()`` is the one call that still raises, for /healthz.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5.0

# Short timeouts: a cache that takes longer than a database query to answer is worse than none.
DEFAULT_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 1.0, "retry_on_timeout": False}


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        params = {**params, "OPTIONS": {**DEFAULT_OPTIONS, **params.get("OPTIONS", {})}}
        super().__init__(server, params)
        self._down_until = 0.0
        self._lock = threading.Lock()

    def _call(self, method, default, *args, **kwargs):
        if time.monotonic() < self._down_until:
            return default
        try:
            result = getattr(super(), method)(*args, **kwargs)
        except RedisError as error:
            with self._lock:
                first = self._down_until == 0.0
                self._down_until = time.monotonic() + RETRY_AFTER_SECONDS
            if first:
                logger.warning("The cache (Redis) is not answering (%s); serving without it.", error)
            return default
        if self._down_until:
            with self._lock:
                self._down_until = 0.0
            logger.warning("The cache (Redis) answers again.")
        return result

    def health(self) -> str:
        """Ping Redis; raises when it does not answer."""
        self._cache.get_client().ping()
        return "redis"

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def incr(self, key, delta=1, version=None):
        # A missing key still raises ValueError, as Django's contract says; only Redis errors degrade.
        return self._call("incr", None, key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version)

    def clear(self):
        return self._call("clear", False)
