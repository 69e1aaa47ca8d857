"""Browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's live server.

Run with ``.venv/bin/python -m pytest -m browser tests/browser -q``. Without ``/usr/bin/chromium`` (or the
browser named by ``BROWSER_TESTS_CHROMIUM``) every test here is skipped; Playwright's own browsers are
never downloaded (no ``playwright install``).

Order of things in a test, and why:

1. ``demo_site`` seeds the demo marketplace into the (transactional) test database and reads what
   the test needs from it, before any browser exists;
2. ``page`` then starts Playwright and Chromium, and closes both when the test ends, before the
   database is flushed.

Playwright's sync API keeps an asyncio loop running in the main thread while it is open. Django then
refuses ORM calls from that thread (``SynchronousOnlyOperation``) and, with the documented workaround
``DJANGO_ALLOW_ASYNC_UNSAFE``, hands out a *second* set of connection objects (asgiref keeps
"async" connections apart), without the test database's serialized contents and not the one shared
with the live server thread. So no ORM call is made while the browser is open: the test body only
drives the browser and compares with the ``DemoSite`` data read beforehand. The variable is still set
while Playwright is open, for Django code that runs in the main thread regardless (signal handlers,
lazy settings), and removed afterwards.
"""

import importlib
import os
import shutil
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("BROWSER_TESTS_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # No internet here: keep Chromium from calling Google (updates, sync, field trials, safe browsing).
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 900}
TIMEOUT_MS = 15_000  # generous: the first visit of a listing renders its images (WebP) on the fly
RESULTS_DIR = Path(__file__).resolve().parents[2] / "test-results"
DEMO_PRODUCTS = 40
HERE = Path(__file__).resolve().parent


def _chromium_missing_reason():
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK):
        return None
    return f"{CHROMIUM} is not installed (apt-get install chromium); the browser tests need Debian's Chromium"


def pytest_collection_modifyitems(config, items):
    """Skip the browser tests up front when there is no Chromium (before any test database is built)."""
    reason = _chromium_missing_reason()
    if reason is None:
        return
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.skip(reason=reason))


@dataclass(frozen=True)
class Product:
    url: str  # path, e.g. /en/textiles-and-weaving/.../
    title: str
    hs_code: str
    price: Decimal  # in the base currency (MAD)


@dataclass(frozen=True)
class DemoSite:
    url: str  # the live server, e.g. http://localhost:41234
    product_en: Product
    product_fr: Product  # the French translation of product_en
    french_pair: tuple[Product, Product]  # French pages of two sellers' products in stock
    # English pages of products in stock of the two sellers the demo's seller logins manage.
    seller_login_pair: tuple[Product, Product] = ()


_demo_images = {}


def _memoised_demo_image_bytes(**kwargs):
    """The seed's JPEGs, drawn once per run: the same arguments always draw the same picture."""
    from demo.images import demo_image_bytes

    key = repr(sorted(kwargs.items()))
    if key not in _demo_images:
        _demo_images[key] = demo_image_bytes(**kwargs)
    return _demo_images[key]


def _reload_urlconf():
    from django.urls import clear_url_caches

    import config.urls

    importlib.reload(config.urls)
    clear_url_caches()


def _product(page):
    product = page.product
    return Product(url=page.url, title=page.title, hs_code=product.hs_code, price=product.price)


@pytest.fixture
def demo_site(live_server, django_db_serialized_rollback, settings, tmp_path, monkeypatch):
    """The demo marketplace seeded into the test database, with its images served by the live server.

    The live server makes the test transactional (its thread sees committed data only), and each
    transactional test ends with a flush of every table, migration data included: the serialized
    rollback brings back what the migrations created (Wagtail's root page and collection, the
    default site) before the next test seeds again.
    """
    from wagtail.models import Locale
    from wagtail.signal_handlers import disable_reference_index_auto_update

    from catalog.models import ProductPage
    from demo import seed
    from demo.seed import labels as seed_labels
    from demo.seed import pages as seed_pages

    serve_media = settings.SERVE_MEDIA
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SERVE_MEDIA = True
    _reload_urlconf()  # the media route is added at import time only
    # Drawing the 70 demo photos is half the seeding time; each test seeds again after the flush.
    monkeypatch.setattr(seed_pages, "demo_image_bytes", _memoised_demo_image_bytes)
    monkeypatch.setattr(seed_labels, "demo_image_bytes", _memoised_demo_image_bytes)
    # The reference index ("usage" in the admin) plays no part in the public pages.
    with disable_reference_index_auto_update():
        seed.seed_demo(products=DEMO_PRODUCTS, history_months=2)

    english = ProductPage.objects.live().filter(locale__language_code="en").select_related("product").first()
    french = english.get_translation(Locale.objects.get(language_code="fr"))
    pair = {}
    for page in (ProductPage.objects.live().filter(locale__language_code="fr", product__made_to_order=False,
                                                   product__stock__gte=5, product__min_order_quantity=1)
                 .select_related("product").order_by("pk")):
        pair.setdefault(page.product.seller_id, page)
    first, second = list(pair.values())[:2]
    login_pair = [
        ProductPage.objects.live().filter(locale__language_code="en", product__seller__legal_name=legal_name,
                                          product__made_to_order=False, product__stock__gte=3)
        .select_related("product").order_by("pk").first()
        for legal_name in seed.DEMO_SELLER_LOGINS.values()
    ]
    assert all(login_pair), "each demo seller login's seller has a product in stock"
    try:
        yield DemoSite(url=live_server.url, product_en=_product(english), product_fr=_product(french),
                       french_pair=(_product(first), _product(second)),
                       seller_login_pair=tuple(_product(page) for page in login_pair))
    finally:
        settings.SERVE_MEDIA = serve_media
        _reload_urlconf()
        shutil.rmtree(tmp_path / "media", ignore_errors=True)


# Runs in every document before its own scripts (injected by Playwright, so the policy does not apply
# to it): each Content-Security-Policy violation is handed to the test through a binding.
CSP_VIOLATION_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolation({
    page: event.documentURI, directive: event.effectiveDirective, blocked: event.blockedURI,
    source: event.sourceFile, line: event.lineNumber, sample: event.sample,
  });
});
"""


def _watching_csp_violations(browser, violations: list):
    """Every context the test opens reports its pages' Content-Security-Policy violations into ``violations``."""
    open_context = browser.new_context

    def new_context(**kwargs):
        context = open_context(**kwargs)
        context.expose_binding("__cspViolation", lambda source, violation: violations.append(violation))
        context.add_init_script(CSP_VIOLATION_LISTENER)
        return context

    browser.new_context = new_context
    browser.csp_violations = violations
    return browser


@pytest.fixture
def chromium(demo_site):
    """Playwright and a headless Chromium for one test, started after the seeding (see the module doc).

    The site's Content-Security-Policy is on, as in production: a test whose pages had a violation
    (an inline script or style, an asset from elsewhere), in any context it opened, fails when it ends.
    """
    reason = _chromium_missing_reason()
    if reason is not None:
        pytest.skip(reason)
    from playwright.sync_api import expect, sync_playwright

    violations = []
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    expect.set_options(timeout=TIMEOUT_MS)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            try:
                yield _watching_csp_violations(browser, violations)
            finally:
                browser.close()
    finally:
        expect.set_options(timeout=5_000)  # Playwright's default
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous
    if violations:
        pytest.fail("Content-Security-Policy violations:\n" + "\n".join(map(str, violations)), pytrace=False)


@pytest.fixture
def page(chromium):
    """A tab in a fresh browser context (no cookies); ``page.js_errors`` collects uncaught script errors."""
    context = chromium.new_context(viewport=VIEWPORT, locale="en-GB", service_workers="block")
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    errors = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.js_errors = errors
    try:
        yield tab
    finally:
        context.close()


@pytest.fixture
def results_dir():
    """``test-results/`` at the repository root (git-ignored), for the screenshots."""
    RESULTS_DIR.mkdir(exist_ok=True)
    return RESULTS_DIR
