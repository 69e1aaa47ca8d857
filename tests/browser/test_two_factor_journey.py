"""Two-factor authentication in a real browser, enforced: chamber staff enrol at their first admin
login (QR code, first code, backup codes), and the next login asks for a code before the admin opens.
"""

import re

import pytest

pytest.importorskip("playwright.sync_api", reason="the Python package playwright is not installed")
from playwright.sync_api import expect

from demo.seed import DEMO_LOGINS
from tests.factories.accounts import totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

VIEWPORT = {"width": 1280, "height": 900}
STAFF = next(login for login in DEMO_LOGINS if login.username == "staff")


def _password_login(chromium, base):
    context = chromium.new_context(viewport=VIEWPORT, locale="en-GB")
    context.set_default_timeout(15_000)
    tab = context.new_page()
    errors = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.js_errors = errors
    tab.goto(base + "/admin/login/")
    tab.fill("#id_username", STAFF.username)
    tab.fill("#id_password", STAFF.password)
    tab.locator("form").get_by_role("button", name=re.compile("Sign in|Log in")).click()
    return tab


def test_staff_enrol_at_first_login_then_give_a_code_at_the_next(demo_site, chromium, settings, results_dir):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.TWO_FACTOR_ENFORCED = True
    base = demo_site.url

    # 1. The password alone leads to the enrolment: a QR code and its key.
    tab = _password_login(chromium, base)
    tab.wait_for_url(re.compile(r".*/admin/two-factor/\?next=.*"))
    expect(tab.locator("svg.segno")).to_be_visible()
    tab.screenshot(path=results_dir / "two-factor-1-enrol.png", full_page=True)
    tab.goto(base + "/admin/pages/")
    assert "/admin/two-factor/" in tab.url  # nothing else of the admin opens meanwhile

    # 2. The first code from the app turns it on and shows the backup codes once.
    device = TOTPDevice.objects.get(user__username=STAFF.username, confirmed=False)
    tab.fill("#id_token", totp_code(device))
    tab.get_by_role("button", name="Turn on").click()
    codes = tab.locator("ul.backup-codes code")
    expect(codes).to_have_count(10)
    backup_code = codes.first.inner_text()
    tab.get_by_role("link", name="Continue").click()
    tab.wait_for_url(re.compile(r".*/admin/.*"))
    expect(tab.locator("#main")).to_be_visible()
    assert "/two-factor/" not in tab.url
    assert tab.js_errors == []

    # 3. The next login asks for a code; a backup code opens the admin.
    tab = _password_login(chromium, base)
    tab.wait_for_url(re.compile(r".*/admin/two-factor/verify/.*"))
    tab.screenshot(path=results_dir / "two-factor-2-code.png", full_page=True)
    tab.fill("#id_token", "000000")
    tab.get_by_role("button", name="Verify").click()
    expect(tab.locator("#main")).to_contain_text("This code is not valid")
    tab.fill("#id_token", backup_code)
    tab.get_by_role("button", name="Verify").click()
    tab.wait_for_url(base + "/admin/")
    assert tab.js_errors == []
