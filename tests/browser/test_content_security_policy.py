"""The browser tests see Content-Security-Policy violations, and the public pages have none."""

import pytest

pytestmark = pytest.mark.browser


def test_a_violation_is_seen_by_the_watch(demo_site, chromium, page):
    def page_with_inline_script(route):
        route.fulfill(status=200, content_type="text/html", body="<p>x</p><script>document.title = 'ran'</script>",
                      headers={"Content-Security-Policy": "script-src 'self'"})

    page.route(f"{demo_site.url}/inline-script-probe/", page_with_inline_script)
    page.goto(f"{demo_site.url}/inline-script-probe/")
    page.wait_for_function("document.readyState === 'complete'")
    page.wait_for_timeout(200)  # the violation event is dispatched asynchronously
    assert page.title() != "ran"
    assert [violation["directive"] for violation in chromium.csp_violations] == ["script-src-elem"]
    chromium.csp_violations.clear()  # seen on purpose: the watch must not fail this test


def test_search_with_facets_works_under_the_policy(demo_site, page):
    response = page.goto(f"{demo_site.url}/en/search/?q=rug")
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]
    page.locator(".facets input[type=checkbox]").first.check()
    page.wait_for_url("**/search/?*")  # facets.js submits the form on change
    assert page.js_errors == []


def test_the_api_docs_render_under_the_policy(demo_site, page):
    """/api/v1/docs is django-ninja's Swagger UI from the site's own static files (ninja in INSTALLED_APPS),
    never a CDN: it renders every operation with no violation and no script error."""
    response = page.goto(f"{demo_site.url}/api/v1/docs")
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]
    operations = page.locator(".swagger-ui .opblock")
    operations.first.wait_for()
    assert operations.count() >= 11
    assert page.js_errors == []
