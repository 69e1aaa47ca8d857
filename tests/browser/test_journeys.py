"""A buyer's journeys through the public site, in a real browser (Chromium through Playwright).

Each test seeds the demo marketplace into an empty test database (see ``demo_site`` in conftest.py)
and saves screenshots of the pages it walks through under ``test-results/``.
"""

import re
from decimal import Decimal

import pytest

pytest.importorskip("playwright.sync_api", reason="the Python package playwright is not installed")
from playwright.sync_api import expect

from currency.selectors import money_convert, money_round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ARABIC = re.compile(r"[\u0600-\u06FF]")
ACCENT = "rgb(162, 59, 31)"  # --accent, Fez red
PAPER = "rgb(251, 247, 241)"  # --paper


def _assert_page_chrome(page, *, language, direction):
    """What every public page has: language and direction, landmarks, a labelled search box, the CSS."""
    html = page.locator("html")
    expect(html).to_have_attribute("lang", language)
    expect(html).to_have_attribute("dir", direction)
    expect(page.get_by_role("main")).to_have_count(1)
    expect(page.get_by_role("banner")).to_have_count(1)
    expect(page.get_by_role("contentinfo")).to_have_count(1)
    search_box = page.locator("header .site-search input[type=search]")
    expect(search_box).to_have_count(1)
    # Labelled by its <label for> (visually hidden): the accessible name is not empty.
    label = page.locator(f"label[for={search_box.get_attribute('id')}]")
    expect(label).to_have_count(1)
    label_text = label.text_content().strip()
    assert label_text
    expect(page.get_by_role("combobox", name=label_text)).to_be_visible()
    # The stylesheet is served and applied.
    expect(page.locator(".site-header__brand")).to_have_css("color", ACCENT)
    expect(html).to_have_css("background-color", PAPER)
    expect(page.locator("body")).to_have_css("direction", direction)


def _brand_centre_x(page):
    box = page.locator(".site-header__brand").bounding_box()
    return box["x"] + box["width"] / 2


def _wait_image_loaded(image):
    """Scrolls a (lazy) image into view and waits until the browser has decoded it."""
    image.scroll_into_view_if_needed()
    image.evaluate(
        """img => img.complete && img.naturalWidth > 0 ? true : new Promise((resolve, reject) => {
            img.addEventListener('load', () => resolve(true), {once: true});
            img.addEventListener('error', () => reject(new Error('image failed: ' + img.currentSrc)), {once: true});
        })"""
    )
    assert image.evaluate("img => img.naturalWidth") > 0, image.evaluate("img => img.currentSrc")


def _assert_webp_srcset(image):
    srcset = image.get_attribute("srcset") or ""
    assert ".webp" in srcset, srcset
    assert image.get_attribute("alt") is not None  # decorative images have alt="", never no alt


def _walk_home_category_product(page, base_url, *, language, direction, results_dir):
    """Home, first category of the main menu, first product of that category; returns the headings."""
    page.goto(f"{base_url}/{language}/")
    expect(page.locator("body.template-home")).to_have_count(1)
    _assert_page_chrome(page, language=language, direction=direction)
    page.screenshot(path=results_dir / f"{language}-home.png", full_page=True)
    headings = {"home": page.locator("h1").inner_text()}
    brand_x = _brand_centre_x(page)

    menu_link = page.locator("nav.main-menu a").first
    category_title = menu_link.inner_text().strip()
    menu_link.click()
    expect(page.locator("body.template-category")).to_have_count(1)
    assert page.url.startswith(f"{base_url}/{language}/")
    expect(page.locator("h1")).to_have_text(category_title)
    expect(page.locator("nav.main-menu a[aria-current=page]")).to_have_text(category_title)
    cards = page.locator(".product-card")
    expect(cards.first).to_be_visible()
    assert cards.count() > 0
    first_image = cards.first.locator("img")
    _assert_webp_srcset(first_image)
    _wait_image_loaded(first_image)
    page.screenshot(path=results_dir / f"{language}-category.png", full_page=True)
    headings["category"] = category_title

    product_title = cards.first.locator(".product-card__title").inner_text().strip()
    cards.first.locator("a.product-card__link").click()
    expect(page.locator("body.template-product")).to_have_count(1)
    _assert_page_chrome(page, language=language, direction=direction)
    expect(page.locator("h1")).to_have_text(product_title)
    # The dirham as the language writes it: "MAD" in English and French, "د.م." in Arabic.
    expect(page.locator(".product-detail .price .price__amount")).to_contain_text(
        "د.م." if language == "ar" else "MAD")
    # The last fact is the customs code, in every language ("HS code" in English).
    hs_label = page.locator("dl.facts dt").last
    if language == "en":
        expect(hs_label).to_have_text("HS code")
    expect(hs_label.locator("xpath=following-sibling::dd[1]")).to_have_text(re.compile(r"^\d{4}(\.\d{2})+$"))
    gallery = page.locator(".product-detail__gallery img")
    assert gallery.count() > 0
    for index in range(gallery.count()):
        image = gallery.nth(index)
        assert (image.get_attribute("alt") or "").strip(), f"gallery image {index} has no alt text"
        _assert_webp_srcset(image)
    _wait_image_loaded(gallery.first)
    page.screenshot(path=results_dir / f"{language}-product.png", full_page=True)
    headings["product"] = product_title
    return headings, brand_x


def test_english_home_category_product(demo_site, page, results_dir):
    headings, brand_x = _walk_home_category_product(
        page, demo_site.url, language="en", direction="ltr", results_dir=results_dir
    )
    # Left to right: the brand sits at the start (left) of the header.
    assert brand_x < page.viewport_size["width"] / 2
    assert not ARABIC.search(headings["product"])
    assert page.js_errors == []


def test_arabic_home_category_product_right_to_left(demo_site, page, results_dir):
    headings, brand_x = _walk_home_category_product(
        page, demo_site.url, language="ar", direction="rtl", results_dir=results_dir
    )
    width = page.viewport_size["width"]
    # Really mirrored, not just dir="rtl": the brand is at the start of the line, on the right.
    assert brand_x > width / 2, f"brand centred at x={brand_x}, viewport {width}px wide"
    assert _brand_centre_x(page) > width / 2  # on the product page too
    # The product's facts table: labels (start) to the right of the values.
    label_box = page.locator("dl.facts dt").first.bounding_box()
    value_box = page.locator("dl.facts dd").first.bounding_box()
    assert label_box["x"] > value_box["x"]
    for name in ("home", "category", "product"):
        assert ARABIC.search(headings[name]), f"{name} heading not in Arabic: {headings[name]!r}"
    expect(page.locator("h1")).to_have_text(ARABIC)
    # The HS code stays a left-to-right number inside the Arabic page (dir="ltr" on the dd or inside it).
    expect(page.locator("dl.facts dd").last.locator("xpath=descendant-or-self::*[@dir='ltr']")).not_to_have_count(0)
    assert page.js_errors == []


def test_language_switcher_opens_the_same_product_in_french(demo_site, page, results_dir):
    english, french = demo_site.product_en, demo_site.product_fr
    page.goto(demo_site.url + english.url)
    expect(page.locator("h1")).to_have_text(english.title)
    switch = page.locator(".language-switcher a[hreflang=fr]")
    expect(switch).to_have_attribute("lang", "fr")
    expect(page.locator(".language-switcher a[hreflang=en]")).to_have_attribute("aria-current", "true")
    switch.click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    assert page.url == demo_site.url + french.url
    expect(page.locator("h1")).to_have_text(french.title)
    assert french.title != english.title
    assert page.locator("h1").inner_text() != english.title
    expect(page.locator(".language-switcher a[hreflang=fr]")).to_have_attribute("aria-current", "true")
    # Same product: same HS code and price.
    expect(page.locator("dl.facts dd").last).to_have_text(english.hs_code)
    expect(page.locator(".product-detail .price")).to_contain_text("MAD")
    page.screenshot(path=results_dir / "fr-product.png", full_page=True)
    assert page.js_errors == []


def test_currency_switcher_shows_prices_in_euros(demo_site, page, results_dir):
    english = demo_site.product_en
    price = english.price
    page.goto(demo_site.url + english.url)
    expect(page.locator(".product-detail .price .price__base")).to_have_count(0)  # MAD only, by default
    switcher = page.locator("details.currency-switcher")
    expect(switcher.locator("summary")).to_contain_text("MAD")
    euro = switcher.get_by_role("link", name="EUR", exact=True)
    expect(euro).to_be_hidden()
    switcher.locator("summary").click()
    expect(euro).to_be_visible()
    page.screenshot(path=results_dir / "en-currency-menu.png")
    with page.expect_response(re.compile(r"/currency/\?currency=EUR")) as response:
        euro.click()
    assert response.value.status == 302
    expect(switcher.locator("summary")).to_contain_text("EUR")  # waits for the page to come back
    assert page.url == demo_site.url + english.url  # the same page as before
    # As English writes money: the euro sign before, a currency in letters kept apart by a no-break space.
    shown = f"€{money_convert(price, to='EUR').amount:,.2f}"
    base = f"(MAD\N{NO-BREAK SPACE}{money_round(Decimal(price), 'MAD'):,.2f})"
    amount = page.locator(".product-detail .price .price__amount")
    expect(amount).to_have_text(shown)
    expect(page.locator(".product-detail .price .price__base")).to_have_text(base)
    page.screenshot(path=results_dir / "en-product-eur.png", full_page=True)
    # The choice is remembered (cookie) on the next page.
    page.goto(f"{demo_site.url}/en/")
    expect(page.locator(".product-card .price__amount").first).to_contain_text("€")
    expect(page.locator(".product-card .price__base").first).to_contain_text("MAD")
    assert page.js_errors == []


def test_header_search_lists_matching_products(demo_site, page, results_dir):
    page.goto(f"{demo_site.url}/en/")
    search_box = page.get_by_role("combobox", name="Search handicrafts")
    search_box.press_sequentially("taz", delay=50)
    expect(page.locator("#site-search-suggestions option").first).to_have_attribute("value", re.compile("Taznakht"))
    search_box.fill("rug")
    search_box.press("Enter")
    expect(page).to_have_url(re.compile(r"/en/search/\?q=rug$"))
    expect(page.locator("h1")).to_contain_text("rug")
    expect(page.get_by_role("combobox", name="Search handicrafts")).to_have_value("rug")
    cards = page.locator(".product-card")
    expect(cards.first).to_be_visible()
    titles = [title.lower() for title in cards.locator(".product-card__title").all_inner_texts()]
    assert titles and any("rug" in title for title in titles), titles
    page.screenshot(path=results_dir / "en-search.png", full_page=True)

    # A facet value applies as soon as it is ticked; the other values of its facet keep their counts.
    region = page.locator("fieldset[data-facet=region] input[type=checkbox]").first
    value = region.get_attribute("value")
    region.check()
    expect(page).to_have_url(re.compile(rf"region={value}"))
    expect(page.locator(f"fieldset[data-facet=region] input[value='{value}']")).to_be_checked()
    assert page.locator("fieldset[data-facet=region] li").count() >= 2
    page.screenshot(path=results_dir / "en-search-filtered.png", full_page=True)
    assert page.js_errors == []
