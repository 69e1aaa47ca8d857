"""GET /healthz: whether each engine the site depends on answers."""

import time

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from kombu import Connection

from search.backends import get_listing_backend


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return connection.vendor


def _cache():
    cache = caches["default"]
    cache.set("healthz-probe", "ok", timeout=10)
    if cache.get("healthz-probe") != "ok":
        raise RuntimeError("the cache did not return what was written")
    return type(cache).__name__


def _broker():
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager (tasks run in the web process)"
    with Connection(settings.CELERY_BROKER_URL, connect_timeout=3) as broker:
        broker.ensure_connection(max_retries=1)
        return f"{broker.transport.driver_type} at {broker.hostname}:{broker.port}"


def _search():
    backend = get_listing_backend()
    backend.ping()
    return backend.name


CHECKS = {"database": _database, "cache": _cache, "broker": _broker, "search": _search}


@never_cache
def healthz(request):
    report, healthy = {}, True
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            detail = check()
            status = "ok"
        except Exception as error:  # a health check reports every failure, whatever its kind
            detail, status, healthy = f"{type(error).__name__}: {error}", "error", False
        report[name] = {"status": status, "detail": detail, "ms": round((time.perf_counter() - started) * 1000, 1)}
    return JsonResponse({"status": "ok" if healthy else "error", "checks": report}, status=200 if healthy else 503)
