"""A Dutch interior shop buys wholesale: its buyer applies for a trade account with a proof of activity,
chamber staff verify it, the buyer sees the potter's trade prices, puts one case in the basket (the
seller's first-order minimum not reached: the shortfall is shown), makes it two cases (reached), and
checks out with no VAT: the shop's valid Dutch VAT number puts the import VAT on it (reverse charge).
The order is checked once the browser is closed."""

import re
from dataclasses import dataclass
from decimal import Decimal

import pytest

pytest.importorskip("playwright.sync_api", reason="the Python package playwright is not installed")
from playwright.sync_api import expect

from demo.seed import DEMO_LOGINS, DEMO_SELLER_LOGINS

from .conftest import VIEWPORT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORDS = {login.username: login.password for login in DEMO_LOGINS}
SHOP = "Van Dijk Wonen B.V."
VAT_NUMBER = "NL100000009B01"  # well-formed (mod 11), as the format checker requires


@dataclass(frozen=True)
class Offer:
    url: str
    product_id: int
    case_pack: int
    tier_prices: dict  # from quantity: unit price (base currency)


@pytest.fixture
def offer(demo_site):
    """One of the potter's products, in stock by the case, ready for the EU, whose seller's first-order
    minimum lies between one case and two. Read before the browser opens (see conftest)."""
    from catalog.models import Product, ProductPage
    from sellers.models import Seller
    from tests.factories.catalog import eu_offer_ready

    page = (ProductPage.objects.live().filter(locale__language_code="en", product__made_to_order=False,
                                              product__seller__legal_name=DEMO_SELLER_LOGINS["potter"],
                                              product__min_order_quantity=1)
            .select_related("product").order_by("product__pk").first())
    product = page.product
    Product.objects.filter(pk=product.pk).update(stock=200)
    eu_offer_ready(Product.objects.get(pk=product.pk))
    tiers = dict(product.price_tiers.values_list("min_quantity", "unit_price"))
    one_case = product.case_pack * tiers[min(tiers)]
    Seller.objects.filter(pk=product.seller_id).update(first_order_minimum=one_case + Decimal(1))
    return Offer(page.url, product.pk, product.case_pack, tiers)


@pytest.fixture
def after_browser():
    checks = []
    yield checks
    for check in checks:
        check()


@pytest.fixture
def proof(tmp_path):
    path = tmp_path / "kvk-uittreksel.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    return path


def test_a_dutch_shop_is_verified_and_buys_two_cases_under_reverse_charge(demo_site, offer, proof, after_browser,
                                                                           chromium, results_dir):
    assert offer.case_pack > 1
    buyer = chromium.new_context(viewport=VIEWPORT, locale="en-GB", service_workers="block").new_page()
    buyer.goto(demo_site.url + "/en/account/login/")
    buyer.fill("input[name=login]", "buyer@souk-export.example")
    buyer.fill("input[name=password]", PASSWORDS["buyer"])
    buyer.locator("main form button[type=submit]").click()
    buyer.goto(demo_site.url + "/en/account/trade/apply/")
    buyer.fill("#id_legal_name", SHOP)
    buyer.select_option("#id_country", "NL")
    buyer.fill("#id_register_number", "90876543")
    buyer.fill("#id_vat_number", VAT_NUMBER)
    buyer.fill("#id_eori_number", "NL100000009")
    buyer.set_input_files("#id_documents", str(proof))
    buyer.get_by_role("button", name="Send the application").click()
    expect(buyer).to_have_url(re.compile(r"/en/account/trade/company/$"))
    expect(buyer.locator("[data-company-status]")).to_have_attribute("data-company-status", "pending")

    staff = chromium.new_context(viewport=VIEWPORT, locale="en-GB", service_workers="block").new_page()
    staff.goto(demo_site.url + "/admin/login/")
    staff.locator("#id_username").fill("staff")
    staff.locator("#id_password").fill(PASSWORDS["staff"])
    staff.locator("form button[type=submit]").click()
    expect(staff).to_have_url(re.compile(r"/admin/$"))
    staff.goto(demo_site.url + "/admin/trade_companies/")
    staff.get_by_role("link", name=SHOP).first.click()
    expect(staff.locator("body")).to_contain_text("kvk-uittreksel.pdf")
    staff.locator("form[data-decision=verify] button").click()
    expect(staff.locator("[data-company-status]")).to_contain_text("Verified")

    buyer.goto(demo_site.url + offer.url)
    expect(buyer.get_by_role("heading", name="Your trade prices")).to_be_visible()
    expect(buyer.locator(".wholesale__tiers tbody tr")).to_have_count(len(offer.tier_prices))
    buyer.get_by_role("button", name="Add to basket").click()
    expect(buyer).to_have_url(re.compile(r"/en/basket/"))
    quantity = buyer.locator(f"#quantity-{offer.product_id}")
    expect(quantity).to_have_value(str(offer.case_pack))
    minimums = buyer.locator(".seller-minimums")
    expect(minimums).to_contain_text("Add")
    expect(buyer.get_by_role("link", name="Checkout")).to_have_count(0)
    buyer.screenshot(path=results_dir / "wholesale-1-shortfall.png", full_page=True)

    quantity.fill(str(offer.case_pack * 2))
    buyer.locator(f"form:has(#quantity-{offer.product_id}) button", has_text="Update").click()
    expect(buyer.locator(".seller-minimums")).to_contain_text("Reached")
    expect(buyer.locator(f"#quantity-{offer.product_id}")).to_have_value(str(offer.case_pack * 2))
    buyer.get_by_role("link", name="Checkout").click()
    buyer.fill("#id_email", "buyer@souk-export.example")
    buyer.fill("#id_name", "Eva van Dijk")
    buyer.fill("#id_line1", "Prinsengracht 263")
    buyer.fill("#id_city", "Amsterdam")
    buyer.fill("#id_postal_code", "1016 GV")
    buyer.select_option("#id_country", "NL")
    buyer.get_by_role("button", name="Review the order").click()
    expect(buyer).to_have_url(re.compile(r"/en/checkout/review/$"))
    expect(buyer.locator("main")).to_contain_text(re.compile("reverse charge", re.IGNORECASE))
    buyer.screenshot(path=results_dir / "wholesale-2-reverse-charge.png", full_page=True)
    buyer.get_by_role("button", name=re.compile("Place the order")).click()
    expect(buyer).to_have_url(re.compile(r"/orders/"))
    after_browser.append(lambda: order_checked(offer))


def order_checked(offer):
    from marketplace.orders.models import Order, OrderCharge

    order = Order.objects.get(trade_company__legal_name=SHOP)
    assert order.reverse_charge and order.buyer_vat_number == VAT_NUMBER
    line = order.lines.get()
    assert line.quantity == offer.case_pack * 2
    reached = max(quantity for quantity in offer.tier_prices if quantity <= line.quantity)
    assert line.unit_price_base == offer.tier_prices[reached]
    assert not order.charges.filter(kind=OrderCharge.Kind.TAX).exclude(amount=0).exists()
