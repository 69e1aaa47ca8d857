"""A visitor in French fills a basket from two sellers, checks out with the bank transfer (offline)
provider and sees the confirmation with the transfer instructions."""

import re

import pytest

pytest.importorskip("playwright.sync_api", reason="the Python package playwright is not installed")
from django.utils import translation
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

REFERENCE = re.compile(r"SE\d\d-[2-9A-HJ-NP-Z]{6}")


def _french(message: str) -> str:
    with translation.override("fr"):
        french = translation.gettext(message)
    assert french != message, f"not translated into French: {message!r}"
    return french


def test_a_french_visitor_orders_from_two_sellers_and_pays_by_bank_transfer(demo_site, page, results_dir):
    add_label, checkout_label = _french("Add to basket"), _french("Checkout")
    review_label, bank_heading = _french("Review the order"), _french("Pay by bank transfer")
    awaiting = _french("awaiting payment")
    first, second = demo_site.french_pair

    for product in (first, second):
        page.goto(demo_site.url + product.url)
        expect(page.locator("html")).to_have_attribute("lang", "fr")
        page.get_by_role("button", name=add_label).click()
        expect(page).to_have_url(re.compile(r"/fr/basket/$"))
    basket = page.locator("table.basket tbody tr")
    expect(basket).to_have_count(2)
    expect(basket.nth(0)).to_contain_text(first.title)
    expect(basket.nth(1)).to_contain_text(second.title)

    page.locator("#shipping-country").select_option("FR")
    page.locator(".shipping-estimate__form button").click()
    expect(page.locator(".shipping-parts li")).to_have_count(2)  # one parcel per seller
    page.screenshot(path=results_dir / "checkout-1-basket.png", full_page=True)

    page.get_by_role("link", name=checkout_label).click()
    page.locator("#id_email").fill("camille.martin@example.fr")
    page.locator("#id_name").fill("Camille Martin")
    page.locator("#id_line1").fill("12 rue des Archives")
    page.locator("#id_city").fill("Paris")
    page.locator("#id_postal_code").fill("7500")  # one digit short: refused, nothing lost
    page.locator("#id_country").select_option("FR")
    page.get_by_role("button", name=review_label).click()
    expect(page.locator(".form__field--error")).to_have_count(1)
    expect(page.locator("#id_city")).to_have_value("Paris")
    page.locator("#id_postal_code").fill("75004")
    page.get_by_role("button", name=review_label).click()

    expect(page).to_have_url(re.compile(r"/fr/checkout/review/$"))
    expect(page.locator(".shipping-parts li")).to_have_count(2)
    page.screenshot(path=results_dir / "checkout-2-review.png", full_page=True)
    page.locator("form button[type=submit]").last.click()

    expect(page).to_have_url(re.compile(r"/fr/orders/SE\d\d-\w+/[\w-]+/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(REFERENCE)
    expect(page.locator(".order-status")).to_contain_text(awaiting, ignore_case=True)
    expect(page.get_by_role("heading", name=bank_heading)).to_be_visible()
    expect(page.locator(".bank-transfer")).to_contain_text("IBAN")
    expect(page.locator("table.basket tbody tr")).to_have_count(2)
    page.screenshot(path=results_dir / "checkout-3-confirmation.png", full_page=True)
    assert not page.js_errors
