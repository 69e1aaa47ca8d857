"""A quality label's life in a real browser: the seller applies from its workspace, an inspector
takes, inspects and approves it, the seller prints the QR tag, a buyer scans it (the QR code read from
the printed tag's image) and lands on the product's passport, which shows the certificate active and
leads to its verify page; two inspectors revoke it and the buyer then sees it revoked on both.
"""

import io
import re

import pytest

pytest.importorskip("playwright.sync_api", reason="the Python package playwright is not installed")
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from demo.seed import DEMO_LOGINS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

VIEWPORT = {"width": 1280, "height": 900}
LOGINS = {login.username: login for login in DEMO_LOGINS}


def _signed_in(chromium, base, username):
    context = chromium.new_context(viewport=VIEWPORT, locale="en-GB")
    context.set_default_timeout(15_000)
    tab = context.new_page()
    tab.goto(base + "/admin/login/")
    tab.fill("#id_username", username)
    tab.fill("#id_password", LOGINS[username].password)
    tab.locator("form").get_by_role("button", name=re.compile("Sign in|Log in")).click()
    tab.wait_for_url(base + "/admin/")
    return tab


def test_a_label_is_applied_for_approved_verified_through_its_qr_address_and_revoked(
        demo_site, chromium, results_dir, tmp_path):
    base = demo_site.url
    photo = tmp_path / "loom.jpg"
    Image.new("RGB", (640, 480), (150, 40, 30)).save(photo)

    # 1. The seller applies from its workspace, with a photo as evidence.
    seller = _signed_in(chromium, base, "seller")
    seller.get_by_role("link", name="Quality labels").click()
    seller.get_by_role("link", name="Apply for a label").click()
    seller.select_option("#id_scheme", label="National handicraft label")
    seller.locator("#id_products input[type=checkbox]").first.check()
    product_title = seller.locator("#id_products label").first.inner_text().strip()
    seller.fill("#id_statement", "Knotted by hand on our looms in Taznakht, with wool dyed with madder.")
    seller.set_input_files("#id_evidence", str(photo))
    seller.get_by_role("button", name="Send the application").click()
    expect(seller.locator(".messages")).to_contain_text("Application sent")
    seller.screenshot(path=results_dir / "label-1-applied.png", full_page=True)

    # 2. An inspector finds it in the queue, takes it, records the visit and approves it.
    inspector = _signed_in(chromium, base, "lead")
    inspector.goto(base + "/admin/label_applications/?queue=unassigned")
    inspector.get_by_role("link", name=re.compile("National handicraft label — Coopérative Tifaouine")).click()
    expect(inspector.locator("main")).to_contain_text("wool dyed with madder")
    expect(inspector.locator("main")).to_contain_text("loom.jpg")
    inspector.get_by_role("button", name="Assign to me").click()
    expect(inspector.locator(".messages")).to_contain_text("Assigned to")
    inspector.get_by_role("link", name="Record the inspection").click()
    inspector.wait_for_url("**/inspection/")
    expect(inspector.locator("input[type=radio][value=met]").first).to_be_visible()
    for radio in inspector.locator("input[type=radio][value=met]").all():
        radio.check()
    inspector.fill("#id_notes", "Looms and dye vats seen; sample knot count checked.")
    inspector.get_by_role("button", name="Record the inspection").click()
    expect(inspector.locator(".messages")).to_contain_text("Inspection recorded")
    inspector.get_by_role("link", name="Decide").click()
    inspector.wait_for_url("**/decide/")
    inspector.locator("input[name=decision][value=approve]").check()
    inspector.select_option("#id_level", "Silver")
    inspector.get_by_role("button", name="Record the decision").click()
    message = inspector.locator(".messages").inner_text()
    number = re.search(r"MA-LNA-\d{4}-\d{6}", message).group(0)
    inspector.screenshot(path=results_dir / "label-2-approved.png", full_page=True)

    # 3. The seller prints the tag; its QR code holds the public verify address.
    seller.goto(base + "/admin/labels/")
    seller.locator("tr", has_text=number).get_by_role("link", name="Print tags").click()
    tag = seller.locator(".tag").first
    expect(tag.locator("svg")).to_be_visible()
    expect(tag).to_contain_text(number)
    verify_url = tag.get_attribute("data-verify-url")
    assert verify_url == f"{base}/verify/{number}/"
    seller.screenshot(path=results_dir / "label-3-tag.png")
    (results_dir / "label-3-qr.png").write_bytes(tag.locator("svg").screenshot())
    qr_image = Image.open(io.BytesIO(tag.locator("svg").screenshot())).convert("L")
    scanned = [result.text for result in zxingcpp.read_barcodes(qr_image)]
    assert len(scanned) == 1 and re.fullmatch(rf"{re.escape(base)}/p/\d+/", scanned[0]), scanned

    # 4. A buyer scans the tag: the product's passport, its maker, and the label active right now; from
    #    there, the certificate's verify page.
    buyer_context = chromium.new_context(viewport=VIEWPORT, locale="en-GB")
    buyer = buyer_context.new_page()
    buyer.goto(scanned[0])
    label = buyer.locator(f"[data-label='{number}']")
    expect(label).to_have_attribute("data-label-status", "active")
    expect(buyer.locator("main")).to_contain_text("Coopérative Tifaouine")
    expect(buyer.locator("h1")).to_contain_text(product_title)
    buyer.screenshot(path=results_dir / "label-4-passport-active.png", full_page=True)
    passport_url = buyer.url
    label.get_by_role("link", name=re.compile("Check certificate")).click()
    expect(buyer).to_have_url(verify_url)
    expect(buyer.locator(".certificate__status")).to_have_text("active")
    expect(buyer.locator("main")).to_contain_text("Coopérative Tifaouine")
    expect(buyer.locator("main")).to_contain_text(product_title)
    expect(buyer.locator("main")).to_contain_text("intact")
    expect(buyer.locator("main")).not_to_contain_text("Looms and dye vats seen")  # private notes stay private
    buyer.screenshot(path=results_dir / "label-4-verified-active.png", full_page=True)

    # 5. One inspector asks for the revocation; it takes a second inspector to confirm it.
    first = _signed_in(chromium, base, "inspector")
    first.goto(base + "/admin/label_certificates/?q=" + number)
    first.get_by_role("link", name=number).click()
    first.get_by_role("link", name="Request revocation").click()
    first.fill("#id_reason", "Machine-made rugs were sold under this certificate.")
    first.locator("main form").get_by_role("button", name="Request revocation").click()
    expect(first.locator(".messages")).to_contain_text("a second inspector must confirm it")
    expect(first.locator("main")).not_to_contain_text("Confirm revocation")
    buyer.reload()
    expect(buyer.locator(".certificate__status")).to_have_text("active")  # not yet

    inspector.goto(base + "/admin/label_certificates/?q=" + number)
    inspector.get_by_role("link", name=number).click()
    inspector.get_by_role("link", name="Confirm revocation").click()
    inspector.locator("main form").get_by_role("button", name="Confirm revocation").click()
    expect(inspector.locator(".messages")).to_contain_text("Certificate revoked")

    buyer.reload()
    expect(buyer.locator(".certificate__status")).to_have_text("revoked")
    expect(buyer.locator("main")).to_contain_text("Machine-made rugs were sold under this certificate.")
    buyer.screenshot(path=results_dir / "label-5-verified-revoked.png", full_page=True)
    buyer.goto(passport_url)
    expect(buyer.locator(f"[data-label='{number}']")).to_have_attribute("data-label-status", "revoked")
    buyer.screenshot(path=results_dir / "label-6-passport-revoked.png", full_page=True)
    for tab in (seller, inspector, first, buyer):
        tab.context.close()
