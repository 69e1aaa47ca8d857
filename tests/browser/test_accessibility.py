"""axe-core (bundled by axe-playwright-python, nothing downloaded) finds no serious or critical
violation on any public page type, in English and in Arabic: on a wide screen, where everything is
shown, and on a phone with the menu and the filter drawer open."""

import pytest

pytest.importorskip("playwright.sync_api", reason="the Python package playwright is not installed")
pytest.importorskip("axe_playwright_python", reason="the Python package axe-playwright-python is not installed")
from axe_playwright_python.sync_playwright import Axe

from tests.browser.public_pages import LANGUAGES, PHONE, public_pages, walk_public_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WIDE = {"width": 1280, "height": 900}
BLOCKING = ("serious", "critical")
# WCAG 2.2 A and AA plus axe's best practices (landmarks, one main, headings, names of regions).
OPTIONS = {"resultTypes": ["violations"],
           "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}}


@pytest.fixture
def site_pages(demo_site):
    return public_pages()  # before the browser starts: no ORM while it is open


def _blocking(axe, tab, where):
    """Readable lines for each serious or critical violation on the tab's page."""
    found = axe.run(tab, options=OPTIONS).response["violations"]
    lines = []
    for violation in found:
        if violation["impact"] not in BLOCKING:
            continue
        targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:3])
        lines.append(f"{where}: {violation['impact']} {violation['id']} ({violation['help']}) at {targets}")
    return lines


def test_no_serious_accessibility_violation_on_any_public_page(demo_site, site_pages, chromium):
    axe = Axe()
    problems = []
    for language in LANGUAGES:
        context = chromium.new_context(viewport=WIDE, locale=language, service_workers="block")
        tab = context.new_page()

        def check(name, tab=tab, language=language):
            problems.extend(_blocking(axe, tab, f"{language} {name}"))

        walk_public_pages(tab, demo_site.url, site_pages, language, check)

        # On a phone, what the drawers hide on arrival: the menu, and the filters of the search page.
        tab.set_viewport_size(PHONE)
        tab.goto(demo_site.url + site_pages.paths[language]["search"])
        tab.locator(".site-menu__button").click()
        problems.extend(_blocking(axe, tab, f"{language} phone menu"))
        tab.locator(".site-menu__button").click()
        tab.locator(".filters__button").click()
        problems.extend(_blocking(axe, tab, f"{language} phone filters"))
        tab.goto(demo_site.url + site_pages.product[language])
        tab.locator(".gallery__zoom").first.click()
        problems.extend(_blocking(axe, tab, f"{language} phone photo enlarged"))
        context.close()
    assert not problems, "axe-core found serious or critical violations:\n" + "\n".join(problems)
