"""Phone first: no public page scrolls sideways at 360, 390 or 768 px; on a 390×844 phone the header
is compact, the menu and the filters open from a button (with or without JavaScript), the product's
price and "Add to basket" are in the first screen, and an Arabic buyer searches, opens a product and
fills the basket without scrolling sideways."""

import re

import pytest

pytest.importorskip("playwright.sync_api", reason="the Python package playwright is not installed")
from playwright.sync_api import expect

from tests.browser.public_pages import LANGUAGES, PHONE, WIDTHS, public_pages, walk_public_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# What sticks out of the page: the outermost elements wider than the screen, for a readable failure.
SIDEWAYS = """() => {
  const width = document.documentElement.clientWidth;
  const culprits = [];
  for (const element of document.querySelectorAll("body *")) {
    const box = element.getBoundingClientRect();
    if (box.width === 0 || (box.right <= width + 1 && box.left >= -1)) continue;
    if (culprits.some((outer) => outer.contains(element))) continue;
    let clipped = false;
    for (let parent = element.parentElement; parent && !clipped; parent = parent.parentElement) {
      clipped = getComputedStyle(parent).overflowX !== "visible";
    }
    if (!clipped) culprits.push(element);
  }
  return {
    scrollWidth: document.documentElement.scrollWidth, width,
    culprits: culprits.slice(0, 3).map((element) => `<${element.tagName.toLowerCase()} class="${element.className}">`),
  };
}"""


@pytest.fixture
def site_pages(demo_site):
    return public_pages()  # before the browser starts: no ORM while it is open


def _in_first_screen(locator, height=PHONE["height"]):
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


def test_no_public_page_scrolls_sideways_and_the_phone_header_is_compact(demo_site, site_pages, chromium, results_dir):
    problems = []
    for language in LANGUAGES:
        context = chromium.new_context(viewport=PHONE, locale=language, service_workers="block")
        tab = context.new_page()

        def check(name, tab=tab, language=language):
            for width in WIDTHS:
                tab.set_viewport_size({"width": width, "height": PHONE["height"]})
                found = tab.evaluate(SIDEWAYS)
                if found["scrollWidth"] > found["width"]:
                    problems.append(f"{language} {name} at {width} px: {found['scrollWidth']} px wide, {found['culprits']}")
            tab.set_viewport_size(PHONE)
            header = tab.locator(".site-header").bounding_box()["height"]
            if header > 0.2 * PHONE["height"]:
                problems.append(f"{language} {name}: the header is {header:.0f} px high on a 390×844 phone")

        walk_public_pages(tab, demo_site.url, site_pages, language, check)
        context.close()
    assert not problems, "\n".join(problems)


def test_on_a_phone_the_menu_filters_gallery_and_add_to_basket_work(demo_site, site_pages, chromium, results_dir):
    context = chromium.new_context(viewport=PHONE, locale="en-GB", service_workers="block")
    tab = context.new_page()
    errors = []
    tab.on("pageerror", lambda error: errors.append(str(error)))

    # The menu: folded behind one button, opened and closed from the keyboard.
    tab.goto(demo_site.url + site_pages.paths["en"]["home"])
    categories = tab.locator("nav.main-menu a").first
    expect(categories).to_be_hidden()
    button = tab.locator(".site-menu__button")
    expect(button).to_be_visible()
    button.focus()
    tab.keyboard.press("Enter")
    expect(categories).to_be_visible()
    expect(tab.locator(".language-switcher a[hreflang=ar]")).to_be_visible()
    tab.keyboard.press("Tab")
    tab.keyboard.press("Escape")
    expect(categories).to_be_hidden()
    expect(button).to_be_focused()

    # Search: the results come first, the filters in a drawer, the chosen ones as removable chips.
    tab.goto(demo_site.url + site_pages.paths["en"]["search"])
    first_result = tab.locator(".product-card").first
    assert _in_first_screen(tab.locator(".product-card__title").first), "the first result is below the first screen"
    expect(tab.locator(".facets")).to_be_hidden()
    tab.locator(".filters__button").click()
    tab.locator(".facet[data-facet=craft] input[type=checkbox]").first.check()  # facets.js submits at once
    tab.wait_for_url(re.compile(r"craft="))
    chips = tab.locator(".filter-chip")
    expect(chips).to_have_count(1)
    expect(tab.locator(".filters__count")).to_have_text("(1)")
    chips.first.click()
    tab.wait_for_url(lambda url: "craft=" not in url)
    expect(tab.locator(".filter-chip")).to_have_count(0)
    expect(first_result).to_be_visible()

    # Product: price and "Add to basket" in the first screen; the photos open enlarged and zoom.
    tab.goto(demo_site.url + site_pages.product["en"])
    assert _in_first_screen(tab.locator(".product-detail .price")), "the price is below the first screen"
    assert _in_first_screen(tab.locator("form.add-to-basket button")), "Add to basket is below the first screen"
    tab.screenshot(path=results_dir / "phone-product-en.png")
    tab.locator(".gallery__zoom").first.click()
    dialog = tab.locator("dialog.lightbox")
    expect(dialog).to_be_visible()
    image = dialog.locator(".lightbox__image")
    expect(image).to_have_attribute("src", re.compile(r"max-1600x1600"))
    shown = image.bounding_box()["width"]
    image.click()
    expect(dialog).to_have_class(re.compile("lightbox--zoomed"))
    assert image.bounding_box()["width"] > shown
    tab.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    tab.locator("form.add-to-basket button").click()
    expect(tab).to_have_url(re.compile(r"/en/basket/$"))
    expect(tab.locator("table.basket tbody tr")).to_have_count(1)
    # The basket at 360 px: the quantity changes and the line total follows, nothing scrolls sideways.
    tab.set_viewport_size({"width": 360, "height": PHONE["height"]})
    line_total = tab.locator(".basket__line td").last
    before = line_total.inner_text()
    quantity = tab.locator(".basket__quantity input[type=number]")
    assert _in_first_screen(quantity) and quantity.bounding_box()["x"] + quantity.bounding_box()["width"] <= 360
    quantity.fill("2")
    tab.locator(".basket__quantity button:not([name=remove])").click()
    expect(quantity).to_have_value("2")
    expect(line_total).not_to_have_text(before)
    assert tab.evaluate("document.documentElement.scrollWidth") <= 360
    assert not errors
    context.close()

    # Without JavaScript the menu and the filter drawer still open (<details>), and the menu is
    # open on a wide screen.
    context = chromium.new_context(viewport=PHONE, java_script_enabled=False, service_workers="block")
    tab = context.new_page()
    tab.goto(demo_site.url + site_pages.paths["en"]["search"])
    tab.locator(".site-menu__button").click()
    expect(tab.locator("nav.main-menu a").first).to_be_visible()
    tab.locator(".site-menu__button").click()  # the same button folds it again
    expect(tab.locator("nav.main-menu a").first).to_be_hidden()
    tab.locator(".filters__button").click()
    expect(tab.locator(".facets button[type=submit]")).to_be_visible()
    tab.set_viewport_size({"width": 1280, "height": 900})
    tab.reload()
    expect(tab.locator("nav.main-menu a").first).to_be_visible()
    expect(tab.locator(".facets")).to_be_visible()
    context.close()


def test_an_arabic_buyer_on_a_phone_searches_opens_a_product_and_adds_it_to_the_basket(demo_site, chromium, results_dir):
    context = chromium.new_context(viewport=PHONE, locale="ar", service_workers="block")
    tab = context.new_page()

    def not_sideways():
        assert tab.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], tab.url

    tab.goto(demo_site.url + "/ar/")
    expect(tab.locator("html")).to_have_attribute("dir", "rtl")
    not_sideways()
    tab.screenshot(path=results_dir / "phone-home-ar.png")
    tab.locator("#site-search-q").fill("زربية")  # "rug": the Arabic demo titles use it
    tab.locator("#site-search-q").press("Enter")
    expect(tab).to_have_url(re.compile(r"/ar/search/\?q="))
    card = tab.locator(".product-card").first
    expect(card).to_be_visible()
    titles = tab.locator(".product-card__title").all_inner_texts()
    assert titles and all("زربية" in title for title in titles), titles  # rugs, and only rugs
    not_sideways()
    tab.screenshot(path=results_dir / "phone-search-ar.png")
    card.locator(".product-card__link").click()
    expect(tab.locator("html")).to_have_attribute("lang", "ar")
    expect(tab.get_by_role("heading", level=1)).to_have_text(titles[0])
    add = tab.locator("form.add-to-basket button")
    assert _in_first_screen(tab.locator(".product-detail .price")) and _in_first_screen(add)
    not_sideways()
    tab.screenshot(path=results_dir / "phone-product-ar.png")
    add.click()
    expect(tab).to_have_url(re.compile(r"/ar/basket/$"))
    expect(tab.locator("table.basket tbody tr")).to_have_count(1)
    expect(tab.locator("table.basket tbody tr")).to_contain_text(titles[0])
    not_sideways()
    tab.screenshot(path=results_dir / "phone-basket-ar.png")
    context.close()
