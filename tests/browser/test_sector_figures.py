"""The sector's figures in a browser: the chamber's exports report and the public page in Arabic,
each chart drawn beside the table of its data."""

import re

import pytest

pytest.importorskip("playwright.sync_api", reason="the Python package playwright is not installed")
from playwright.sync_api import expect

from demo.seed import DEMO_LOGINS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORDS = {login.username: login.password for login in DEMO_LOGINS}


def test_staff_read_a_report_and_visitors_the_public_figures(demo_site, page, results_dir):
    page.goto(demo_site.url + "/admin/login/")
    page.locator("#id_username").fill("staff")
    page.locator("#id_password").fill(PASSWORDS["staff"])
    page.locator("form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    page.get_by_role("button", name="Reports").click()
    page.get_by_role("link", name="Sector: sellers").click()
    figure = page.locator("figure.chart").first
    expect(figure.locator("svg[role=img]")).to_be_visible()
    rows = figure.locator("table.chart__table tbody tr")
    expect(rows.first).to_be_visible()
    assert figure.locator("svg rect.bar").count() == rows.count()
    page.screenshot(path=results_dir / "sector-1-admin-report.png", full_page=True)

    page.goto(demo_site.url + "/ar/sector/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    kinds = page.locator('[data-table="sellers_by_kind"] figure.chart')
    expect(kinds.locator("svg[role=img]")).to_be_visible()
    rows = kinds.locator("table.chart__table tbody tr")
    expect(rows.first).to_be_visible()
    assert kinds.locator("svg rect.bar").count() == rows.count()
    expect(page.locator('[data-figure="verified_sellers"]')).to_have_text(re.compile(r"\d"))
    page.screenshot(path=results_dir / "sector-2-public-ar.png", full_page=True)
    assert not page.js_errors
