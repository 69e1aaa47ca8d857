"""Browser-side defences sent with every response: Content-Security-Policy and Permissions-Policy.

Django's SecurityMiddleware already sends X-Content-Type-Options, Referrer-Policy and
Cross-Origin-Opener-Policy, and XFrameOptionsMiddleware X-Frame-Options; this adds what Django 5.2
has no setting for. The public site's policy allows scripts and styles from the site itself only;
Wagtail's admin, which writes inline scripts and styles, gets its own looser policy. Both report
violations to ``csp_report``.
"""

import json
import logging
import threading
import time

from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

logger = logging.getLogger("marketplace.csp")

CSP_REPORT_MAX_BYTES = 16 * 1024
# Fields of a report worth a log line, each cut short: a report's content is the attacker's to choose.
CSP_REPORT_FIELDS = ("document-uri", "violated-directive", "effective-directive", "blocked-uri", "source-file",
                     "line-number")
CSP_REPORT_FIELD_MAX_CHARS = 300


def policy_header(policy: dict[str, list[str]], report_uri: str = "") -> str:
    """``{"script-src": ["'self'"]}`` -> ``script-src 'self'``, directives in the order given."""
    directives = [" ".join([name, *sources]) for name, sources in policy.items()]
    if report_uri:
        directives.append(f"report-uri {report_uri}")
    return "; ".join(directives)


def permissions_header(features: dict[str, list[str]]) -> str:
    """``{"camera": [], "fullscreen": ["self"]}`` -> ``camera=(), fullscreen=(self)``."""
    return ", ".join(f"{feature}=({' '.join(allowed)})" for feature, allowed in features.items())


class SecurityHeadersMiddleware:
    """Adds the Content-Security-Policy and Permissions-Policy headers; a view's own header is kept.

    Placed above the page cache, so that pages served from the cache get the current headers too.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        report_uri = settings.CONTENT_SECURITY_POLICY_REPORT_URI
        self.public_policy = policy_header(settings.CONTENT_SECURITY_POLICY, report_uri)
        self.admin_policy = policy_header(settings.CONTENT_SECURITY_POLICY_ADMIN, report_uri)
        self.admin_prefixes = tuple(settings.CONTENT_SECURITY_POLICY_ADMIN_PREFIXES)
        self.permissions_policy = permissions_header(settings.PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        policy = self.admin_policy if request.path.startswith(self.admin_prefixes) else self.public_policy
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        return response


class _LogBudget:
    """At most ``per_minute`` log lines a minute in this process; the rest are counted, then summed up."""

    def __init__(self, per_minute: int):
        self.per_minute = per_minute
        self.lock = threading.Lock()
        self.window_start = 0.0
        self.used = 0
        self.dropped = 0

    def take(self) -> tuple[bool, int]:
        """Whether a line may be logged now, and how many were dropped in the window that just ended."""
        with self.lock:
            now = time.monotonic()
            dropped = 0
            if now - self.window_start >= 60:
                dropped, self.dropped = self.dropped, 0
                self.window_start, self.used = now, 0
            if self.used < self.per_minute:
                self.used += 1
                return True, dropped
            self.dropped += 1
            return False, dropped


csp_report_log_budget = _LogBudget(per_minute=30)


def _report_fields(body: bytes) -> dict[str, str] | None:
    """The fields to log from a ``report-uri`` (application/csp-report) or Reporting API body; None if neither."""
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, ValueError):
        return None
    if isinstance(data, list):  # Reporting API: a list of {"type": "csp-violation", "body": {...}}
        data = next((item.get("body") for item in data if isinstance(item, dict)), None)
    elif isinstance(data, dict):
        data = data.get("csp-report", data)
    if not isinstance(data, dict):
        return None
    # The Reporting API spells the fields in camelCase (documentURL, blockedURL, effectiveDirective).
    normalised = {key.lower().replace("-", ""): value for key, value in data.items()}
    aliases = {"document-uri": "documenturl", "blocked-uri": "blockedurl", "source-file": "sourcefile",
               "line-number": "linenumber"}
    fields = {}
    for field in CSP_REPORT_FIELDS:
        value = normalised.get(field.replace("-", ""), normalised.get(aliases.get(field, ""), ""))
        fields[field] = str(value)[:CSP_REPORT_FIELD_MAX_CHARS]
    return fields


@csrf_exempt  # browsers send reports without a token, from any page, and nothing is written
@require_POST
def csp_report(request):
    """POST /csp-report/: logs a browser's report of a Content-Security-Policy violation; always 204.

    An oversized or malformed body is dropped unlogged: an error status would be logged by Django for
    each request, which is what the log budget is there to prevent, and a browser does nothing with it.
    """
    body = request.read(CSP_REPORT_MAX_BYTES + 1)
    fields = _report_fields(body) if len(body) <= CSP_REPORT_MAX_BYTES else None
    if fields is None:
        return HttpResponse(status=204)
    allowed, dropped = csp_report_log_budget.take()
    if dropped:
        logger.warning("Content-Security-Policy: %d more violation reports were not logged", dropped)
    if allowed:
        # %r: the values come from the browser (or whoever posts), so no newline reaches the log as is.
        logger.warning("Content-Security-Policy violation: %r", fields)
    return HttpResponse(status=204)
