"""GET /healthz: whether each engine the site depends on answers.

"ok" (200) when all do; "degraded" (200: the site still serves, so a load balancer keeps it) when only
the cache, the broker or the search engine does not; "error" (503) when the database does not. The
engines' addresses and error messages are shown to superusers only: anyone else learns a state.
"""

import time

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from kombu import Connection

from outbox.models import OutboxMessage
from search.backends import get_listing_backend


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return connection.vendor


def _cache():
    cache = caches["default"]
    if hasattr(cache, "health"):  # the Redis cache answers misses while it is down: ask it directly
        return cache.health()
    cache.set("healthz-probe", "ok", timeout=10)
    if cache.get("healthz-probe") != "ok":
        raise RuntimeError("the cache did not return what was written")
    return type(cache).__name__


def _broker():
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager (tasks run in the web process)"
    with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as broker:
        broker.ensure_connection(max_retries=0, timeout=2)
        return f"{broker.transport.driver_type} at {broker.hostname}:{broker.port}"


def _search():
    backend = get_listing_backend()
    backend.ping()
    return backend.name


def _outbox():
    pending = OutboxMessage.objects.filter(state=OutboxMessage.State.PENDING).count()
    failed = OutboxMessage.objects.filter(state=OutboxMessage.State.FAILED).count()
    if failed:
        raise RuntimeError(f"{failed} message(s) given up, {pending} pending")
    return f"{pending} pending"


CHECKS = {"database": _database, "cache": _cache, "broker": _broker, "search": _search, "outbox": _outbox}
ESSENTIAL = {"database"}


@never_cache
def healthz(request):
    report, failed, details = {}, set(), {}
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            detail = check()
            status = "ok"
        except Exception as error:  # a health check reports every failure, whatever its kind
            detail, status = f"{type(error).__name__}: {error}", "error"
            failed.add(name)
        report[name] = {"status": status, "ms": round((time.perf_counter() - started) * 1000, 1)}
        details[name] = detail
        if failed & ESSENTIAL:
            break  # without the database the others say nothing more, and who asks cannot be known
    if not failed & ESSENTIAL and request.user.is_authenticated and request.user.is_superuser:
        for name, detail in details.items():
            report[name]["detail"] = detail
    if failed & ESSENTIAL:
        overall, code = "error", 503
    elif failed:
        overall, code = "degraded", 200
    else:
        overall, code = "ok", 200
    return JsonResponse({"status": overall, "checks": report}, status=code)
