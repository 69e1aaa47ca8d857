"""Browser-side defences: the Content-Security-Policy of each kind of page, its report endpoint, the other headers."""

import json
import logging
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from config import security_headers
from tests.factories.sellers import UserFactory

pytestmark = pytest.mark.django_db

REPO = Path(settings.BASE_DIR)
# Templates of the public site, which the public policy governs (admin templates live in */admin/*).
PUBLIC_TEMPLATE_DIRS = [REPO / app / "templates" for app in
                        ("frontend", "catalog", "search", "marketplace", "sellers", "observatory")]
INLINE_CODE = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>|<style\b"
                         r"|\sstyle=|\son[a-z]+=|javascript:", re.IGNORECASE)


def directives(header: str) -> dict[str, list[str]]:
    return {name: sources for name, *sources in (part.split() for part in header.split(";") if part.strip())}


class TestPublicPolicy:
    def test_public_pages_run_only_the_sites_own_scripts_and_styles(self, client, tree):
        response = client.get(tree.homes["en"].url)
        policy = directives(response["Content-Security-Policy"])
        assert policy["script-src"] == ["'self'"]
        assert policy["style-src"] == ["'self'"]
        assert policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'self'"]
        assert policy["report-uri"] == ["/csp-report/"]

    def test_pages_served_from_the_cache_carry_the_policy_too(self, client, tree, settings):
        settings.PAGE_CACHE_SECONDS = 300
        url = tree.categories["en"].url
        client.get(url)
        cached = client.get(url)
        assert "'unsafe-inline'" not in cached["Content-Security-Policy"]
        assert cached["Permissions-Policy"]

    def test_the_other_defences_are_sent(self, client, tree):
        response = client.get(tree.homes["en"].url)
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        assert response["X-Frame-Options"] in {"DENY", "SAMEORIGIN"}
        permissions = response["Permissions-Policy"]
        for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
            assert feature in permissions

    def test_json_answers_carry_the_policy(self, client):
        response = client.get("/api/v1/search/?q=rug")
        assert "'unsafe-inline'" not in response["Content-Security-Policy"]

    @pytest.mark.parametrize("template_dir", PUBLIC_TEMPLATE_DIRS, ids=lambda path: path.parent.name)
    def test_no_public_template_has_inline_script_style_or_handler(self, template_dir):
        offending = [
            f"{path.relative_to(REPO)}: {match.group(0)}"
            for path in template_dir.rglob("*.html") if "admin" not in path.relative_to(template_dir).parts
            for match in INLINE_CODE.finditer(path.read_text())
        ]
        assert offending == []


class TestAdminPolicy:
    def test_the_admin_has_its_own_policy(self, client):
        response = client.get("/admin/login/")
        policy = directives(response["Content-Security-Policy"])
        assert "'unsafe-inline'" in policy["script-src"]  # Wagtail's admin writes inline scripts
        assert policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'self'"]


    def test_the_admin_loads_no_avatar_from_another_host(self, client):
        # The admin's policy allows images from the site only; Wagtail's default avatars come from gravatar.com.
        client.force_login(UserFactory(is_superuser=True, is_staff=True, email="staff@chamber.example"))
        assert "gravatar" not in client.get("/admin/").content.decode()


class TestReportEndpoint:
    REPORT = {"csp-report": {"document-uri": "https://souk.example/en/", "violated-directive": "script-src-elem",
                             "effective-directive": "script-src-elem", "blocked-uri": "inline", "line-number": 12}}

    @pytest.fixture(autouse=True)
    def fresh_budget(self, monkeypatch):
        monkeypatch.setattr(security_headers, "csp_report_log_budget", security_headers._LogBudget(per_minute=3))

    def post(self, body, content_type="application/csp-report"):
        # Browsers send no CSRF token: the endpoint must take the report anyway.
        return Client(enforce_csrf_checks=True).post("/csp-report/", body, content_type=content_type)

    def test_a_report_is_logged_and_answered_with_no_content(self, caplog):
        with caplog.at_level(logging.WARNING, logger="marketplace.csp"):
            response = self.post(json.dumps(self.REPORT))
        assert response.status_code == 204
        assert "script-src-elem" in caplog.text and "https://souk.example/en/" in caplog.text

    def test_a_reporting_api_report_is_logged(self, caplog):
        body = [{"type": "csp-violation", "body": {"documentURL": "https://souk.example/fr/",
                                                    "effectiveDirective": "style-src-attr", "blockedURL": "inline"}}]
        with caplog.at_level(logging.WARNING, logger="marketplace.csp"):
            response = self.post(json.dumps(body), "application/reports+json")
        assert response.status_code == 204
        assert "style-src-attr" in caplog.text and "https://souk.example/fr/" in caplog.text

    def test_logging_is_rate_limited(self, caplog):
        with caplog.at_level(logging.WARNING, logger="marketplace.csp"):
            responses = [self.post(json.dumps(self.REPORT)) for _ in range(10)]
        assert {response.status_code for response in responses} == {204}
        assert len(caplog.records) == 3

    def test_an_oversized_report_is_dropped_unread(self, caplog):
        body = json.dumps({"csp-report": {"blocked-uri": "x" * 20_000}})
        with caplog.at_level(logging.WARNING, logger="marketplace.csp"):
            response = self.post(body)
        assert response.status_code == 204
        assert not caplog.records

    @pytest.mark.parametrize("body", ["not json", "[1, 2]", '"text"', "\x00\xff", json.dumps({"csp-report": 3})])
    def test_a_body_that_is_not_a_report_is_dropped_quietly(self, body, caplog):
        with caplog.at_level(logging.INFO):
            assert self.post(body).status_code == 204
        assert not caplog.records

    def test_a_newline_in_a_report_does_not_reach_the_log_as_a_line(self, caplog):
        report = {"csp-report": {"document-uri": "https://x/\nFAKE LOG LINE", "blocked-uri": "inline"}}
        with caplog.at_level(logging.WARNING, logger="marketplace.csp"):
            self.post(json.dumps(report))
        assert "\nFAKE LOG LINE" not in caplog.text

    def test_only_post(self, client):
        assert client.get("/csp-report/").status_code == 405
