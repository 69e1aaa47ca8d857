"""Searches that always lead somewhere, in a browser, in the buyer's language: a misspelling is
corrected (with a way back to the words as typed), a query no listing fully matches is relaxed and
says so, and a query that finds nothing offers words and categories instead of a blank page."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def search(page, demo_site, language, text):
    page.goto(f"{demo_site.url}/{language}/")
    box = page.locator("header .site-search input[type=search]")
    box.fill(text)
    box.press("Enter")
    expect(page).to_have_url(re.compile(rf"/{language}/search/\?q="))


def test_a_french_buyer_is_led_to_zellige_and_rugs(demo_site, page, results_dir):
    search(page, demo_site, "fr", "zelige")
    expect(page.locator(".query-notices__corrected bdi").first).to_have_text("zellige")
    titles = page.locator(".product-card__title").all_inner_texts()
    assert titles and all("zellige" in title.lower() for title in titles), titles
    page.screenshot(path=results_dir / "fr-search-corrected.png", full_page=True)
    page.locator(".query-notices__corrected a").click()  # search instead for the words as typed
    expect(page).to_have_url(re.compile(r"exact=1"))
    expect(page.locator(".query-notices__corrected")).to_have_count(0)

    search(page, demo_site, "fr", "tapis berbère")
    expect(page.locator(".query-notices__relaxed")).to_be_visible()
    titles = [title.lower() for title in page.locator(".product-card__title").all_inner_texts()]
    assert any("tapis" in title for title in titles), titles

    search(page, demo_site, "fr", "qwxzvk")
    expect(page.locator(".query-notices__categories a").first).to_be_visible()
    page.locator(".query-notices__categories a").first.click()
    expect(page.locator(".product-card").first).to_be_visible()
    assert page.js_errors == []


def test_an_arabic_buyer_finds_rugs_and_argan_oil(demo_site, page):
    search(page, demo_site, "ar", "زربية")
    titles = page.locator(".product-card__title").all_inner_texts()
    assert titles and all("زربية" in title for title in titles), titles
    search(page, demo_site, "ar", "huile d'argan")
    titles = page.locator(".product-card__title").all_inner_texts()
    assert titles and all("أركان" in title for title in titles), titles
    assert page.js_errors == []
