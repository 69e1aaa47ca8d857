"""Absolute links to this site, for emails, PDFs and QR codes.

One rule everywhere: ``PUBLIC_BASE_URL`` when the deployment sets it; else the host the current request
came in on; else, in a background task (which has no request), the base URL captured when the work was
queued and handed to the task with its arguments (``public_base_url()`` at enqueue time, then
``with public_base(base_url):`` in the task); else ``WAGTAILADMIN_BASE_URL``, the last resort of beat
tasks that no request started.

A project-level module (like the settings and the middleware beside it): every app may import it.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import DisallowedHost

_request_base: ContextVar[str] = ContextVar("public_request_base", default="")


def _base_of(request) -> str:
    try:
        return request.build_absolute_uri("/").rstrip("/")
    except DisallowedHost:  # a host this site does not serve is never written into a link
        return ""


def public_base_url(request=None) -> str:
    """The scheme and host links are built on, without a trailing slash."""
    configured = (settings.PUBLIC_BASE_URL or "").rstrip("/")
    if configured:
        return configured
    base = _base_of(request) if request is not None else ""
    return base or _request_base.get() or settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def public_url(path: str, request=None) -> str:
    """The absolute address of a path of this site (``path`` starts with "/")."""
    return f"{public_base_url(request)}{path}"


@contextmanager
def public_base(base_url: str):
    """Build links on ``base_url`` meanwhile (in a task: the base captured when it was queued)."""
    token = _request_base.set((base_url or "").rstrip("/"))
    try:
        yield
    finally:
        _request_base.reset(token)


class PublicBaseUrlMiddleware:
    """Remember the current request's own base URL, so that work it queues (which has no request)
    captures it with ``public_base_url()``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_base.set(_base_of(request))
        try:
            return self.get_response(request)
        finally:
            _request_base.reset(token)
