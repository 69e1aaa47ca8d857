"""A new cooperative lists a product in under two minutes, and once the chamber approves it, buyers
find it in every language.

The cooperative has just been verified (registered and verified before the browser opens): its manager
logs in, opens "Add a product" from the dashboard, gives a photo from the phone (HEIC), a name, a
price, a stock and a weight, and sends it for checking. The interactions are counted (target: 8 at
most) and timed. Chamber staff then approve it from their dashboard's "Awaiting your review", and the
product is found by the French and Arabic searches (its French and Arabic pages show the English
text, marked "not yet translated") and opens in English, French and Arabic. On desktop and on a phone.
"""

import io
import re
import time

import pytest

pytest.importorskip("playwright.sync_api", reason="the Python package playwright is not installed")
import pillow_heif
from PIL import Image
from playwright.sync_api import expect

from demo.seed import DEMO_LOGINS, DEMO_SELLER_LOGINS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

STAFF = next(login for login in DEMO_LOGINS if login.username == "staff")
COOPERATIVE = "Coopérative Tagmate Imlil"
MANAGER_EMAIL, MANAGER_PASSWORD = "fatima@tagmate-imlil.example", "Imlil-weaves-2026-wool"
PRODUCT_TITLE = "Imlil wool rug, undyed"
MAX_INTERACTIONS = 8
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def new_cooperative(demo_site):
    """A cooperative registered and verified just now, weaving rugs like the demo's Tifaouine, with no listing
    yet. Made before the browser opens (no ORM while it is open)."""
    from django.contrib.auth import get_user_model

    from sellers.models import Seller
    from sellers.services import Registration, seller_register, seller_verify

    model = Seller.objects.get(legal_name=DEMO_SELLER_LOGINS["seller"])
    seller = seller_register(Registration(
        email=MANAGER_EMAIL, password=MANAGER_PASSWORD, contact_name="Fatima Ait Oumghar", kind="cooperative",
        legal_name=COOPERATIVE, country="MA", region=model.region, register_number="4821/2026", city="Imlil",
        trades=tuple(model.trades.all()), language="en",
    ))
    seller_verify(seller=seller, by=get_user_model().objects.get(username=STAFF.username))
    return COOPERATIVE


class CountedTab:
    """The tab's clicks, fills and file choices, counted as the artisan makes them."""

    def __init__(self, tab):
        self.tab, self.count = tab, 0

    def click(self, locator):
        self.count += 1
        locator.click()

    def fill(self, selector, value):
        self.count += 1
        self.tab.fill(selector, value)

    def set_files(self, selector, path):
        self.count += 1
        self.tab.set_input_files(selector, str(path))


def phone_photo(path):
    """A HEIC photo, as a phone's camera saves it."""
    buffer = io.BytesIO()
    pillow_heif.from_pillow(Image.new("RGB", (800, 600), (200, 180, 150))).save(buffer, quality=70)
    path.write_bytes(buffer.getvalue())
    return path


def _new_tab(chromium, viewport, locale="en-GB"):
    context = chromium.new_context(viewport=viewport, locale=locale, service_workers="block")
    context.set_default_timeout(15_000)
    tab = context.new_page()
    tab.js_errors = []
    tab.on("pageerror", lambda error: tab.js_errors.append(str(error)))
    return tab


def _admin_login(tab, base, username, password, counted=None):
    counted = counted or CountedTab(tab)
    tab.goto(base + "/admin/login/")
    counted.fill("#id_username", username)
    counted.fill("#id_password", password)
    counted.click(tab.locator("form").get_by_role("button", name=re.compile("Sign in|Log in")))
    expect(tab.locator("main")).to_be_visible()
    return counted


def _list_a_product(tab, base, photo, title, results_dir, name):
    started = time.monotonic()
    login = _admin_login(tab, base, MANAGER_EMAIL, MANAGER_PASSWORD)
    expect(tab.get_by_role("heading", name=COOPERATIVE)).to_be_visible()
    logged_in = time.monotonic()

    artisan = CountedTab(tab)
    artisan.click(tab.get_by_role("link", name="Add a product", exact=True))
    expect(tab.get_by_label("Price in MAD")).to_be_visible()
    expect(tab.locator("#id_hs_code")).to_have_value("5701.10")  # suggested from the seller's craft (rugs)
    assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the form scrolls sideways"
    artisan.set_files("#id_photos", photo)
    artisan.fill("#id_title", title)
    artisan.fill("#id_price", "2400")
    artisan.fill("#id_stock", "2")
    artisan.fill("#id_weight_kg", "4.5")
    artisan.click(tab.get_by_role("button", name="Send for checking"))
    expect(tab.locator(".messages")).to_contain_text("is sent for checking")
    listed = time.monotonic()
    tab.screenshot(path=results_dir / f"quick-listing-{name}.png", full_page=True)
    print(
        f"\nquick listing ({name}): {artisan.count} interactions and {listed - logged_in:.1f} s from the dashboard; "
        f"{login.count + artisan.count} interactions and {listed - started:.1f} s with the login"
    )
    return artisan.count


def _approve(tab, base, title, results_dir, name):
    """Chamber staff approve the listing from their dashboard."""
    _admin_login(tab, base, STAFF.username, STAFF.password)
    row = tab.locator("table.listing--dashboard tr", has_text=title)  # the "Awaiting your review" panel
    expect(row).to_have_count(1)
    row.get_by_role("button", name="Actions").click()
    row.get_by_role("button", name="Approve", exact=True).click()
    expect(tab.locator("table.listing--dashboard tr", has_text=title)).to_have_count(0)
    tab.screenshot(path=results_dir / f"quick-listing-approved-{name}.png", full_page=True)


def _found_and_opened(tab, base, title, language):
    """The product is found by the search in ``language`` and its page opens; returns the page's path."""
    tab.goto(f"{base}/{language}/")
    box = tab.locator("header .site-search input[type=search]")
    if not box.is_visible():
        tab.locator(".site-menu__button").click()
    box.fill(title)
    box.press("Enter")
    expect(tab).to_have_url(re.compile(rf"/{language}/search/\?q="))
    card = tab.locator(".product-card", has_text=title)
    expect(card).to_have_count(1)
    with tab.expect_navigation() as navigation:
        card.locator(".product-card__link").click()
    assert navigation.value.status == 200, (language, tab.url)
    expect(tab.locator("html")).to_have_attribute("lang", language)
    expect(tab.get_by_role("heading", level=1)).to_have_text(title)
    return tab.url


def test_a_new_cooperative_lists_a_product_the_chamber_approves_it_and_buyers_find_it_in_every_language(
    demo_site, new_cooperative, chromium, results_dir, tmp_path
):
    photo = phone_photo(tmp_path / "IMG_2041.HEIC")
    base = demo_site.url
    for number, (name, viewport) in enumerate(VIEWPORTS.items(), 1):
        title = f"{PRODUCT_TITLE} {number}"
        artisan = _new_tab(chromium, viewport)
        count = _list_a_product(artisan, base, photo, title, results_dir, name)
        expect(artisan.locator("main")).to_contain_text("1 listing being checked by the chamber")
        published = "1 listing published" if number == 2 else "0 listings published"
        expect(artisan.locator("main")).to_contain_text(published)  # the dashboard counts the approved one
        assert count <= MAX_INTERACTIONS, (name, count)

        staff = _new_tab(chromium, viewport)
        _approve(staff, base, title, results_dir, name)

        buyer = _new_tab(chromium, viewport, locale="fr-FR")
        french = _found_and_opened(buyer, base, title, "fr")
        expect(buyer.locator(".untranslated-note")).to_be_visible()  # the English text, said as such
        arabic = _found_and_opened(buyer, base, title, "ar")
        expect(buyer.locator(".untranslated-note")).to_be_visible()
        assert french != arabic
        buyer.locator(".language-switcher a[hreflang=en]").first.dispatch_event("click")
        expect(buyer.locator("html")).to_have_attribute("lang", "en")
        expect(buyer.get_by_role("heading", level=1)).to_have_text(title)
        expect(buyer.locator(".untranslated-note")).to_have_count(0)
        buyer.screenshot(path=results_dir / f"quick-listing-found-{name}.png")
        for tab in (artisan, staff, buyer):
            assert not tab.js_errors, tab.js_errors
            tab.context.close()
