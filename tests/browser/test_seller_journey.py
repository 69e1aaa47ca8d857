"""An artisan's way onto the marketplace, in a real browser: it registers, the chamber verifies it, it
lists a product that goes through the chamber's review, and the product is on the public site.
"""

import re

import pytest

pytest.importorskip("playwright.sync_api", reason="the Python package playwright is not installed")
from PIL import Image
from playwright.sync_api import expect

from demo.seed import DEMO_LOGINS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

VIEWPORT = {"width": 1280, "height": 900}
STAFF = next(login for login in DEMO_LOGINS if login.role == "chamber staff")
PRODUCT_TITLE = "Tajine de Safi, émail vert"


def _tab(chromium):
    context = chromium.new_context(viewport=VIEWPORT, locale="en-GB")
    context.set_default_timeout(15_000)
    return context.new_page()


def test_an_artisan_registers_is_verified_lists_a_product_reviewed_by_the_chamber(demo_site, chromium, results_dir, tmp_path):
    certificate = tmp_path / "certificate.pdf"
    certificate.write_bytes(b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n")
    photo = tmp_path / "tagine.jpg"
    Image.new("RGB", (640, 480), (40, 140, 100)).save(photo)
    base = demo_site.url

    # 1. The artisan registers on the public site, logs in and sees its application pending.
    artisan = _tab(chromium)
    artisan.goto(base + "/en/sell/")
    artisan.select_option("#id_kind", "artisan")
    artisan.fill("#id_legal_name", "Atelier Nour Safi")
    artisan.select_option("#id_country", "MA")
    artisan.select_option("#id_region", label="Marrakesh-Safi")
    artisan.fill("#id_city", "Safi")
    artisan.get_by_label("Pottery and tagine making").check()
    artisan.fill("#id_register_number", "RNA-00765432")
    artisan.fill("#id_contact_name", "Nour El Houda")
    artisan.fill("#id_email", "nour@atelier-safi.example")
    artisan.fill("#id_password", "clay-and-cobalt-2026")
    artisan.set_input_files("#id_register_certificate", str(certificate))
    artisan.locator("form.form").get_by_role("button", name="Register", exact=True).click()
    # The form answers the same for a known address: the applicant is told to check its email,
    # then logs in with the password it chose.
    artisan.wait_for_url("**/en/sell/registered/")
    artisan.get_by_role("link", name="Log in to follow your application").click()
    artisan.fill("#id_username", "nour@atelier-safi.example")
    artisan.fill("#id_password", "clay-and-cobalt-2026")
    artisan.locator("form").get_by_role("button", name=re.compile("Sign in|Log in")).click()
    artisan.wait_for_url("**/en/sell/application/")
    expect(artisan.locator(".application")).to_contain_text("pending verification")
    artisan.screenshot(path=results_dir / "seller-1-registered.png", full_page=True)

    # 2. Chamber staff find the application among the pending ones and verify it.
    staff = _tab(chromium)
    staff.goto(base + "/admin/login/")
    staff.fill("#id_username", STAFF.username)
    staff.fill("#id_password", STAFF.password)
    staff.locator("form").get_by_role("button", name=re.compile("Sign in|Log in")).click()
    staff.goto(base + "/admin/snippets/sellers/seller/?status=pending")
    row = staff.locator("tr", has_text="Atelier Nour Safi")
    row.get_by_role("button").first.click()
    staff.get_by_role("link", name="Verify").click()
    expect(staff.locator("main")).to_contain_text("certificate.pdf")  # the documents are there to check
    staff.locator("main form").get_by_role("button", name="Verify").click()
    staff.wait_for_url("**/admin/snippets/sellers/seller/")
    staff.screenshot(path=results_dir / "seller-2-verified.png")

    # 3. The artisan, now in its workspace, lists a product and submits it to the chamber's review.
    artisan.goto(base + "/admin/")
    expect(artisan.get_by_role("heading", name="Atelier Nour Safi")).to_be_visible()
    artisan.get_by_role("link", name="Full editor").click()  # the quick form has its own journey
    artisan.fill("#id_title", PRODUCT_TITLE)
    artisan.locator(".Draftail-Editor [contenteditable=true]").first.click()
    artisan.keyboard.type("Thrown on the wheel and fired in a wood kiln on the hill of the potters.")
    artisan.get_by_role("button", name=re.compile("Choose an image")).first.click()
    dialog = artisan.get_by_role("dialog")
    expect(dialog).to_contain_text("You haven't uploaded any images")  # never another seller's photos
    dialog.get_by_role("tab", name="Upload").click()
    dialog.locator("input[type=file]").set_input_files(str(photo))
    dialog.locator("input[name='image-chooser-upload-title']").fill("Green tagine")
    dialog.get_by_role("button", name=re.compile("Upload")).click()
    expect(dialog).to_have_count(0)
    artisan.get_by_role("tab", name="Product").click()
    artisan.fill("#id_product_price", "450")
    artisan.fill("#id_product_stock", "7")
    artisan.select_option("#id_product_craft", label="Pottery and tagine making")
    artisan.select_option("#id_product_origin_region", label="Marrakesh-Safi")
    artisan.fill("#id_product_hs_code", "6912.00")
    artisan.fill("#id_product_weight_grams", "2500")
    expect(artisan.locator("button[name=action-publish]")).to_have_count(0)  # untrusted: no publishing
    artisan.locator("footer [data-w-dropdown-target='toggle']").first.click()
    artisan.get_by_role("button", name="Send for checking").click()
    expect(artisan.locator(".messages")).to_contain_text("submitted for moderation")
    artisan.screenshot(path=results_dir / "seller-3-submitted.png")

    # Not public while under review.
    visitor = _tab(chromium)
    visitor.goto(base + "/en/search/?q=Tajine")
    expect(visitor.locator(".product-card", has_text=PRODUCT_TITLE)).to_have_count(0)

    # 4. The chamber approves it from its dashboard; the product is published.
    staff.goto(base + "/admin/")
    staff.get_by_role("link", name=PRODUCT_TITLE).first.click()
    staff.locator("footer [data-w-dropdown-target='toggle']").first.click()
    staff.get_by_role("button", name=re.compile("^Approve")).first.click()
    expect(staff.locator(".messages")).to_contain_text(PRODUCT_TITLE)
    staff.screenshot(path=results_dir / "seller-4-approved.png")

    # 5. Anyone finds it on the public site, with its maker and price.
    visitor.goto(base + "/en/search/?q=Tajine")
    card = visitor.locator(".product-card", has_text=PRODUCT_TITLE)
    expect(card).to_have_count(1)
    card.get_by_role("link").first.click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(PRODUCT_TITLE)
    expect(visitor.locator(".product-detail__seller")).to_contain_text("Atelier Nour Safi")
    expect(visitor.locator(".price")).to_contain_text("MAD\N{NO-BREAK SPACE}450.00")
    visitor.screenshot(path=results_dir / "seller-5-public.png", full_page=True)
    for tab in (artisan, staff, visitor):
        tab.context.close()
