"""A French buyer in a real browser, on a phone and on a desktop: signs up, verifies the email address
from the verification email, logs in by email, keeps a favourite, searches "tapis berbère" and "zelige"
and finds rugs and zellige, buys a product (bank transfer, offline) and finds the order in the account,
logs out, resets a forgotten password and logs in with the new one.

The emails are read from Django's in-memory outbox (the locmem backend, filled by the live server's
thread through our outbox task), which is no ORM call: nothing touches the database while the browser
is open (tests/browser/conftest.py).
"""

import re
import time

import pytest

pytest.importorskip("playwright.sync_api", reason="the Python package playwright is not installed")
from django.core import mail
from django.utils import translation
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "Zellige-de-Fes-2026"
NEW_PASSWORD = "Tapis-Berbere-2027"
BUYERS = {  # one buyer per screen
    "phone": ("lea.dubois@example.fr", {"width": 390, "height": 844}),
    "desktop": ("hugo.lefebvre@example.fr", {"width": 1280, "height": 900}),
}
REFERENCE = re.compile(r"SE\d\d-[2-9A-HJ-NP-Z]{6}")


def _french(message: str) -> str:
    with translation.override("fr"):
        french = translation.gettext(message)
    assert french != message, f"not translated into French: {message!r}"
    return french


def _email_link(email: str, path_part: str) -> str:
    """The link to ``path_part`` in the latest email to ``email``, once it has arrived (sent after the commit)."""
    deadline = time.monotonic() + 15
    pattern = re.compile(r"https?://\S*" + re.escape(path_part) + r"\S*")
    while time.monotonic() < deadline:
        links = [match.group(0) for message in mail.outbox if message.to == [email]
                 for match in [pattern.search(message.body)] if match]
        if links:
            return links[-1]
        time.sleep(0.2)
    raise AssertionError(f"no email to {email} with {path_part}: {[message.subject for message in mail.outbox]}")


def _submit(tab):
    tab.locator("main form.form button[type=submit]").first.click()


def _search(tab, base, text):
    tab.goto(base + "/fr/")
    box = tab.locator("header .site-search input[type=search]")
    box.fill(text)
    box.press("Enter")
    expect(tab).to_have_url(re.compile(r"/fr/search/\?q="))
    expect(tab.locator(".product-card").first).to_be_visible()
    return [title.lower() for title in tab.locator(".product-card__title").all_inner_texts()]


def _log_in(tab, base, email, password):
    tab.goto(base + "/fr/account/login/")
    tab.fill("input[name=login]", email)
    tab.fill("input[name=password]", password)
    _submit(tab)


def _buyer_journey(chromium, base, demo_site, email, viewport, name, results_dir, labels):
    context = chromium.new_context(viewport=viewport, locale="fr-FR", service_workers="block")
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
    tab.fill("input[name=email]", email)
    tab.fill("input[name=password1]", PASSWORD)
    tab.fill("input[name=password2]", PASSWORD)
    _submit(tab)
    tab.wait_for_url(re.compile(r".*/fr/account/confirm-email/$"))
    link = _email_link(email, "/fr/account/confirm-email/")
    assert link.startswith(base) and "127.0.0.1:8000" not in link  # the live server's own host and port
    tab.screenshot(path=results_dir / f"buyer-account-1-verification-sent-{name}.png", full_page=True)

    # 2. Unverified, the account does not open.
    _log_in(tab, base, email, PASSWORD)
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
    _log_in(tab, base, email.upper(), PASSWORD)
    tab.wait_for_url(re.compile(r".*/fr/account/$"))
    expect(tab.locator("main")).to_contain_text(email)
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
    tab.screenshot(path=results_dir / f"buyer-account-2-favourites-{name}.png", full_page=True)

    # 6. Searches that lead somewhere: Berber rugs (any word may be relaxed) and zellige (misspelt).
    rugs = _search(tab, base, "tapis berbère")
    assert any("tapis" in title for title in rugs), rugs
    zellige = _search(tab, base, "zelige")
    assert zellige and all("zellige" in title for title in zellige), zellige
    tab.screenshot(path=results_dir / f"buyer-account-3-search-{name}.png", full_page=True)

    # 7. Buys a product: basket, checkout (the email is the account's), review, order placed, paid by
    # bank transfer; the order is in the account.
    product = demo_site.french_pair[0]
    tab.goto(base + product.url)
    tab.get_by_role("button", name=labels["add"]).click()
    expect(tab).to_have_url(re.compile(r"/fr/basket/$"))
    expect(tab.locator("table.basket tbody tr")).to_contain_text(product.title)
    tab.get_by_role("link", name=labels["checkout"]).click()
    expect(tab.locator("#id_email")).to_have_value(email)
    tab.locator("#id_name").fill("Léa Dubois")
    tab.locator("#id_line1").fill("12 rue des Archives")
    tab.locator("#id_city").fill("Paris")
    tab.locator("#id_postal_code").fill("75004")
    tab.locator("#id_country").select_option("FR")
    tab.get_by_role("button", name=labels["review"]).click()
    expect(tab).to_have_url(re.compile(r"/fr/checkout/review/$"))
    tab.locator("form button[type=submit]").last.click()
    expect(tab).to_have_url(re.compile(r"/fr/orders/SE\d\d-\w+/[\w-]+/"))
    heading = tab.get_by_role("heading", level=1)
    expect(heading).to_contain_text(REFERENCE)
    reference = REFERENCE.search(heading.inner_text()).group(0)
    expect(tab.get_by_role("heading", name=labels["bank"])).to_be_visible()
    expect(tab.locator(".bank-transfer")).to_contain_text("IBAN")
    tab.screenshot(path=results_dir / f"buyer-account-4-order-{name}.png", full_page=True)
    tab.goto(base + "/fr/account/orders/")
    expect(tab.locator("main")).to_contain_text(reference)

    # 8. Log out.
    tab.locator(".account-nav form button[type=submit]").click()
    tab.wait_for_load_state()
    tab.goto(base + "/fr/account/")
    assert "/fr/account/login/" in tab.url

    # 9. Forgotten password: the reset email's link sets a new one, which logs in; the old one no longer does.
    tab.goto(base + "/fr/account/password/reset/")
    tab.fill("input[name=email]", email)
    _submit(tab)
    tab.wait_for_url(re.compile(r".*/fr/account/password/reset/done/$"))
    reset_link = _email_link(email, "/fr/account/password/reset/key/")
    assert reset_link.startswith(base)
    tab.goto(reset_link)
    tab.fill("input[name=password1]", NEW_PASSWORD)
    tab.fill("input[name=password2]", NEW_PASSWORD)
    _submit(tab)
    tab.wait_for_url(re.compile(r".*/fr/account/password/reset/key/done/$"))
    _log_in(tab, base, email, PASSWORD)
    expect(tab).to_have_url(re.compile(r".*/fr/account/login/$"))
    _log_in(tab, base, email, NEW_PASSWORD)
    tab.wait_for_url(re.compile(r".*/fr/account/$"))
    expect(tab.locator("main")).to_contain_text(email)

    assert errors == []
    context.close()


def test_a_french_buyer_signs_up_verifies_searches_buys_and_resets_the_password(demo_site, chromium, results_dir):
    labels = {"add": _french("Add to basket"), "checkout": _french("Checkout"),
              "review": _french("Review the order"), "bank": _french("Pay by bank transfer")}
    mail.outbox = []
    for name, (email, viewport) in BUYERS.items():
        _buyer_journey(chromium, demo_site.url, demo_site, email, viewport, name, results_dir, labels)
