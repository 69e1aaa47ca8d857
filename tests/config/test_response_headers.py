"""The response headers of each kind of page, under the production security settings.

``SOUK_WRITE_HEADERS_DOC=1 .venv/bin/python -m pytest tests/config/test_response_headers.py`` also
writes them to docs/headers.md, so the document is taken from real responses.
"""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from wagtail.documents import get_document_model

from tests.factories.catalog import product_create, seller_pages

pytestmark = pytest.mark.django_db

DOC = Path(django_settings.BASE_DIR) / "docs" / "headers.md"
SHOWN = ["Content-Type", "Content-Security-Policy", "Permissions-Policy", "Referrer-Policy",
         "Cross-Origin-Opener-Policy", "X-Content-Type-Options", "X-Frame-Options", "Strict-Transport-Security",
         "Cache-Control", "Vary", "Content-Disposition", "Set-Cookie"]
# Sent with every response, whatever its kind.
EVERYWHERE = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin",
              "Cross-Origin-Opener-Policy": "same-origin",
              "Strict-Transport-Security": "max-age=31536000; includeSubDomains; preload"}


@pytest.fixture
def production_security(settings):
    """The security settings of config.settings.production, with WhiteNoise serving static files."""
    settings.SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.X_FRAME_OPTIONS = "SAMEORIGIN"
    settings.PAGE_CACHE_SECONDS = 300
    middleware = list(settings.MIDDLEWARE)
    middleware.insert(middleware.index("config.security_headers.SecurityHeadersMiddleware") + 1,
                      "whitenoise.middleware.WhiteNoiseMiddleware")
    settings.MIDDLEWARE = middleware
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True


@pytest.fixture
def responses(production_security, tree):
    product_create(seller_pages(tree), title="Azilal rug")
    document = get_document_model().objects.create(
        title="Statutes", file=SimpleUploadedFile("statutes.pdf", b"%PDF-1.4\n%%EOF\n"))
    client = Client()
    home = tree.homes["en"].url
    kinds = {
        "public page (rendered)": lambda: client.get(home, secure=True),
        "public page (from the page cache)": lambda: client.get(home, secure=True),
        "admin (Wagtail)": lambda: client.get("/admin/login/", secure=True),
        "API JSON (search)": lambda: client.get("/api/v1/search/?q=rug", secure=True),
        "payment webhook (Stripe not configured in tests: 404)": lambda: client.post("/payments/stripe/webhook/", b"{}", content_type="application/json",
                                               secure=True),
        "static file": lambda: client.get("/static/frontend/css/site.css", secure=True),
        "document download": lambda: client.get(document.url, secure=True),
        "healthz": lambda: client.get("/healthz", secure=True),
        "CSP report endpoint": lambda: client.post("/csp-report/", b"{}", content_type="application/csp-report",
                                                   secure=True),
    }
    return {kind: request() for kind, request in kinds.items()}


def _shown(name, value):
    if name == "Content-Disposition":  # the stored name has a random suffix
        return re.sub(r"_[A-Za-z0-9]{7}\.", ".", value)
    if name == "Set-Cookie":  # names and attributes only, never values
        return "; ".join(sorted(f"{morsel.key} ({', '.join(a for a in ('secure', 'httponly', 'samesite') if morsel[a])})"
                                for morsel in value.values()))
    return value


def headers_table(responses) -> str:
    lines = ["# Response headers by kind of page", "",
             "Taken from real responses under the production security settings (HTTPS, HSTS, page cache on) by",
             "`tests/config/test_response_headers.py`; regenerate with",
             "`SOUK_WRITE_HEADERS_DOC=1 .venv/bin/python -m pytest tests/config/test_response_headers.py`.",
             "Sent with every response: " + ", ".join(f"`{name}: {value}`" for name, value in EVERYWHERE.items()) + ".",
             ""]
    for kind, response in responses.items():
        lines += [f"## {kind}", "", f"Status {response.status_code}.", "", "| header | value |", "| --- | --- |"]
        for name in SHOWN:
            value = response.cookies if name == "Set-Cookie" else response.headers.get(name)
            if value and name not in EVERYWHERE:
                lines.append(f"| {name} | `{_shown(name, value)}` |")
        lines.append("")
    return "\n".join(lines)


class TestResponseHeaders:
    def test_every_kind_of_response_carries_the_defences(self, responses):
        for kind, response in responses.items():
            assert response.status_code < 500, kind
            for name, value in EVERYWHERE.items():
                assert response.headers.get(name) == value, (kind, name)
            # Static files are answered by WhiteNoise before the X-Frame-Options middleware: the policy's
            # frame-ancestors covers them (and a document's own policy lets it run nothing at all).
            assert (response.headers.get("X-Frame-Options") == "SAMEORIGIN"
                    or "frame-ancestors 'self'" in response.headers["Content-Security-Policy"]), kind
            assert "camera=()" in response.headers["Permissions-Policy"], kind

    def test_only_the_admin_allows_inline_scripts(self, responses):
        for kind, response in responses.items():
            policy = dict(part.split(maxsplit=1) for part in response.headers["Content-Security-Policy"].split("; "))
            script_src = policy.get("script-src", policy["default-src"])
            assert ("'unsafe-inline'" in script_src) == (kind == "admin (Wagtail)"), kind

    def test_a_document_keeps_wagtails_own_stricter_policy(self, responses):
        assert responses["document download"].headers["Content-Security-Policy"] == "default-src 'none'"

    def test_the_cached_page_is_the_rendered_one(self, responses):
        rendered, cached = responses["public page (rendered)"], responses["public page (from the page cache)"]
        assert rendered.content == cached.content
        assert cached.headers["Content-Security-Policy"] == rendered.headers["Content-Security-Policy"]

    def test_the_document_lists_every_kind(self, responses):
        if os.environ.get("SOUK_WRITE_HEADERS_DOC"):
            DOC.write_text(headers_table(responses) + "\n")
        written = DOC.read_text()
        assert all(f"## {kind}\n" in written for kind in responses), "regenerate docs/headers.md (see the docstring)"
