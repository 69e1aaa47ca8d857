"""Browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's live server.

Run with ``.venv/bin/python -m pytest -m browser tests/browser -q``. Without ``/usr/bin/chromium`` (or the
browser named by ``BROWSER_TESTS_CHROMIUM``) every test here is skipped; Playwright's own browsers are
never downloaded.
"""

import importlib
import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API keeps an event loop running in the main thread, and Django refuses ORM calls
# from a thread with a running loop. The tests only use the ORM synchronously: documented workaround.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

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
RESULTS_DIR = Path(__file__).resolve().parents[2] / "test-results"
DEMO_PRODUCTS = 40


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for the whole run, closed (with its children) at the end."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium); browser tests need it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(chromium):
    """A fresh browser context (no cookies) and tab per test."""
    context = chromium.new_context(viewport=VIEWPORT, locale="en-GB", service_workers="block")
    context.set_default_timeout(10_000)
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
    RESULTS_DIR.mkdir(exist_ok=True)
    return RESULTS_DIR


def _reload_urlconf():
    from django.urls import clear_url_caches

    import marketplace.urls

    importlib.reload(marketplace.urls)
    clear_url_caches()


_demo_images = {}


def _memoised_demo_image_bytes(**kwargs):
    """The seed's JPEGs, drawn once per run: the same arguments always draw the same picture."""
    from marketplace.demo.images import demo_image_bytes

    key = repr(sorted(kwargs.items()))
    if key not in _demo_images:
        _demo_images[key] = demo_image_bytes(**kwargs)
    return _demo_images[key]


@pytest.fixture
def demo_site(live_server, settings, tmp_path, monkeypatch):
    """The demo marketplace seeded into the test database, with its images served by the live server.

    Needs a transactional database (the live server thread sees only committed data): tests using it
    are marked ``django_db(transaction=True, serialized_rollback=True)``, the serialized rollback
    bringing back what the migrations created (Wagtail's root page and collection, the default locale)
    after the previous test's flush.
    """
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SERVE_MEDIA = True
    _reload_urlconf()  # the media route is added at import time only
    from wagtail.signal_handlers import disable_reference_index_auto_update

    from marketplace.demo import seed

    # Drawing the 70 demo photos is half the seeding time; each test seeds again after the flush.
    monkeypatch.setattr(seed, "demo_image_bytes", _memoised_demo_image_bytes)
    # The reference index ("usage" in the admin) plays no part in the public pages.
    with disable_reference_index_auto_update():
        seed.seed_demo(products=DEMO_PRODUCTS)
    try:
        yield live_server
    finally:
        settings.SERVE_MEDIA = False
        _reload_urlconf()
        shutil.rmtree(tmp_path / "media", ignore_errors=True)
