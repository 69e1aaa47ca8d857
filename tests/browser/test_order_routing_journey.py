"""An order of two sellers' products, routed to each: the buyer orders and pays by bank transfer (the
chamber records it), seller A accepts and ships with a tracking link, seller B declines, the chamber
returns B's part, and the buyer's order page shows the tracking link and the partial refund."""

import re

import pytest

pytest.importorskip("playwright.sync_api", reason="the Python package playwright is not installed")
from playwright.sync_api import expect

from demo.seed import DEMO_LOGINS

from .conftest import VIEWPORT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORDS = {login.username: login.password for login in DEMO_LOGINS}
TRACKING_URL = "https://tracking.example/RR987654321MA"


def signed_in(chromium, demo_site, username):
    """A tab of a fresh context, signed in to the admin as that demo login."""
    tab = chromium.new_context(viewport=VIEWPORT, locale="en-GB", service_workers="block").new_page()
    tab.goto(demo_site.url + "/admin/login/")
    tab.locator("#id_username").fill(username)
    tab.locator("#id_password").fill(PASSWORDS[username])
    tab.locator("form button[type=submit]").click()
    expect(tab).to_have_url(re.compile(r"/admin/$"))
    return tab


def open_part(tab, demo_site, order_reference):
    tab.goto(demo_site.url + "/admin/seller_orders/")
    tab.get_by_role("link", name=re.compile(re.escape(order_reference) + r"-\d")).first.click()
    expect(tab.get_by_role("heading", level=1)).to_be_visible()


def test_seller_a_ships_seller_b_declines_and_the_buyer_sees_tracking_and_refund(demo_site, page, chromium,
                                                                                 results_dir):
    first, second = demo_site.seller_login_pair
    for product in (first, second):
        page.goto(demo_site.url + product.url)
        page.get_by_role("button", name="Add to basket").click()
        expect(page).to_have_url(re.compile(r"/en/basket/$"))
    page.get_by_role("link", name="Checkout").click()
    page.locator("#id_email").fill("alex.morgan@example.com")
    page.locator("#id_name").fill("Alex Morgan")
    page.locator("#id_line1").fill("10 Downing Street")
    page.locator("#id_city").fill("London")
    page.locator("#id_postal_code").fill("sw1a2aa")
    page.locator("#id_country").select_option("GB")
    page.get_by_role("button", name="Review the order").click()
    page.locator("form button[type=submit]").last.click()
    expect(page).to_have_url(re.compile(r"/en/orders/SE\d\d-\w+/[\w-]+/"))
    order_url = page.url
    reference = re.search(r"/orders/(SE\d\d-\w+)/", order_url).group(1)

    staff = signed_in(chromium, demo_site, "staff")
    staff.goto(demo_site.url + "/admin/orders/")
    staff.get_by_role("link", name=reference).click()
    total = staff.locator("dt:has-text('Total') + dd").inner_text()
    amount = re.search(r"\d[\d,]*\.\d\d", total).group(0).replace(",", "")
    staff.get_by_role("link", name="Record the bank transfer").click()
    staff.locator("#id_amount").fill(amount)
    staff.locator("#id_confirm").check()
    staff.locator("form button[type=submit]").last.click()
    expect(staff.locator(".messages")).to_contain_text("Payment recorded")

    seller_a = signed_in(chromium, demo_site, "seller")
    expect(seller_a.get_by_role("link", name=re.compile(r"orders? to accept or decline"))).to_be_visible()
    open_part(seller_a, demo_site, reference)
    seller_a.get_by_role("button", name="Accept this order").click()
    expect(seller_a.locator(".messages")).to_contain_text("Accepted")
    seller_a.locator("#id_ship-carrier").fill("Amana")
    seller_a.locator("#id_ship-tracking_number").fill("RR987654321MA")
    seller_a.locator("#id_ship-tracking_url").fill(TRACKING_URL)
    seller_a.get_by_role("button", name="Record the shipment").click()
    expect(seller_a.locator("[data-seller-order-status]")).to_have_text("Shipped")
    seller_a.screenshot(path=results_dir / "routing-1-seller-shipped.png", full_page=True)

    seller_b = signed_in(chromium, demo_site, "potter")
    open_part(seller_b, demo_site, reference)
    seller_b.locator("#id_decline-reason").fill("Our kiln is being repaired; we cannot fire this piece in time.")
    seller_b.get_by_role("button", name="Decline and refund the buyer").click()
    expect(seller_b.locator("[data-seller-order-status]")).to_have_text("Declined")

    staff.goto(demo_site.url + "/admin/seller_orders/?queue=refunds")
    staff.get_by_role("link", name=re.compile(re.escape(reference) + r"-\d")).click()
    staff.locator("#id_refund_record-reference").fill("RETURN-0042")
    staff.get_by_role("button", name=re.compile("transferred back to the buyer")).click()
    expect(staff.locator(".messages")).to_contain_text("The refund is recorded")

    page.goto(order_url)
    parts = page.locator("[data-seller-part]")
    expect(parts).to_have_count(2)
    shipped = parts.filter(has_text="Shipped")
    expect(shipped.locator("[data-tracking-link]")).to_have_attribute("href", TRACKING_URL)
    declined = parts.filter(has_text="Declined")
    expect(declined).to_contain_text("we cannot fire this piece in time")
    expect(declined.locator(".seller-part__refund")).to_contain_text("Refunded for this part")
    page.screenshot(path=results_dir / "routing-2-buyer-order.png", full_page=True)
    assert not page.js_errors
