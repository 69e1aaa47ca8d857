"""A French buyer in a real browser: signs up, verifies the email address from the verification email,
logs in by email, keeps a favourite, logs out and resets a forgotten password.

The emails are read from Django's in-memory outbox (the locmem backend, filled by the live server's
thread through our outbox task), which is no ORM call: nothing touches the database while the browser
is open (tests/browser/conftest.py).
"""

import re
import time

import pytest

pytest.importorskip("playwright.sync_api", reason="the Python package playwright is not installed")
from django.core import mail
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

EMAIL = "lea.dubois@example.fr"
PASSWORD = "Zellige-de-Fes-2026"
NEW_PASSWORD = "Tapis-Berbere-2027"


def _email_link(path_part: str) -> str:
    """The link to ``path_part`` in the latest email to the buyer, once it has arrived (sent after the commit)."""
    deadline = time.monotonic() + 15
    pattern = re.compile(r"https?://\S*" + re.escape(path_part) + r"\S*")
    while time.monotonic() < deadline:
        links = [match.group(0) for message in mail.outbox if message.to == [EMAIL]
                 for match in [pattern.search(message.body)] if match]
        if links:
            return links[-1]
        time.sleep(0.2)
    raise AssertionError(f"no email to {EMAIL} with {path_part}: {[message.subject for message in mail.outbox]}")


def _submit(tab):
    tab.locator("main form.form button[type=submit]").first.click()


def test_a_french_buyer_signs_up_verifies_logs_in_keeps_a_favourite_and_resets_the_password(demo_site, chromium, results_dir):
    base = demo_site.url
    mail.outbox = []
    context = chromium.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
    context.set_default_timeout(15_000)
    tab = context.new_page()
    errors = []
    tab.on("pageerror", lambda error: errors.append(str(error)))

    # 1. Sign up: the page is French, in the site's layout; an email asks to verify the address.
    tab.goto(base + "/fr/account/register/")
    assert "/fr/account/signup/" in tab.url
    expect(tab.locator("html")).to_have_attribute("lang", "fr")
    expect(tab.locator("h1")).to_have_text("Création de compte")
    expect(tab.locator(".site-header")).to_be_visible()
    tab.fill("input[name=email]", EMAIL)
    tab.fill("input[name=password1]", PASSWORD)
    tab.fill("input[name=password2]", PASSWORD)
    _submit(tab)
    tab.wait_for_url(re.compile(r".*/fr/account/confirm-email/$"))
    link = _email_link("/fr/account/confirm-email/")
    assert link.startswith(base) and "127.0.0.1:8000" not in link  # the live server's own host and port
    tab.screenshot(path=results_dir / "buyer-account-1-verification-sent.png", full_page=True)

    # 2. Unverified, the account does not open.
    tab.goto(base + "/fr/account/login/")
    tab.fill("input[name=login]", EMAIL)
    tab.fill("input[name=password]", PASSWORD)
    _submit(tab)
    tab.goto(base + "/fr/account/")
    assert "/fr/account/login/" in tab.url

    # 3. The link of the email (opened elsewhere, e.g. on a phone's mail app) verifies the address.
    elsewhere = context.browser.new_context(locale="fr-FR")
    mail_tab = elsewhere.new_page()
    mail_tab.goto(link)
    mail_tab.locator("main form button[type=submit]").click()
    mail_tab.wait_for_load_state()
    elsewhere.close()

    # 4. Log in by email: the account area.
    tab.goto(base + "/fr/account/login/")
    tab.fill("input[name=login]", EMAIL.upper())
    tab.fill("input[name=password]", PASSWORD)
    _submit(tab)
    tab.wait_for_url(re.compile(r".*/fr/account/$"))
    expect(tab.locator("main")).to_contain_text(EMAIL)
    expect(tab.locator("a.account-menu")).to_have_attribute("href", "/fr/account/")

    # 5. The heart on a product page keeps it in the favourites, without JavaScript needed.
    tab.goto(base + demo_site.product_fr.url)
    heart = tab.locator("main .favourite-button__heart")
    expect(heart).to_have_attribute("aria-pressed", "false")
    heart.click()
    tab.wait_for_url(re.compile(re.escape(demo_site.product_fr.url) + "$"))
    expect(tab.locator("main .favourite-button__heart")).to_have_attribute("aria-pressed", "true")
    tab.goto(base + "/fr/account/favourites/")
    expect(tab.locator("main .favourite-list")).to_contain_text(demo_site.product_fr.title)
    tab.screenshot(path=results_dir / "buyer-account-2-favourites.png", full_page=True)

    # 6. Log out.
    tab.locator(".account-nav form button[type=submit]").click()
    tab.wait_for_load_state()
    tab.goto(base + "/fr/account/")
    assert "/fr/account/login/" in tab.url

    # 7. Forgotten password: the reset email's link sets a new one, which logs in.
    tab.goto(base + "/fr/account/password/reset/")
    tab.fill("input[name=email]", EMAIL)
    _submit(tab)
    tab.wait_for_url(re.compile(r".*/fr/account/password/reset/done/$"))
    reset_link = _email_link("/fr/account/password/reset/key/")
    assert reset_link.startswith(base)
    tab.goto(reset_link)
    tab.fill("input[name=password1]", NEW_PASSWORD)
    tab.fill("input[name=password2]", NEW_PASSWORD)
    _submit(tab)
    tab.wait_for_url(re.compile(r".*/fr/account/password/reset/key/done/$"))
    tab.goto(base + "/fr/account/login/")
    tab.fill("input[name=login]", EMAIL)
    tab.fill("input[name=password]", NEW_PASSWORD)
    _submit(tab)
    tab.wait_for_url(re.compile(r".*/fr/account/$"))

    assert errors == []
    context.close()
