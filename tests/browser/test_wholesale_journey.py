"""A Dutch interior shop buys wholesale: its buyer applies for a trade account with a proof of activity,
chamber staff verify it, the buyer sees the potter's trade prices, puts one case in the basket (the
seller's first-order minimum not reached: the shortfall is shown), makes it two cases (reached), and
checks out with no VAT: the shop's valid Dutch VAT number puts the import VAT on it (reverse charge).

Then the shop asks the two potteries for 300 tagines in its own glaze, with samples first. The potter
answers in its workspace with a sample offer and a bulk quote; buyer and potter exchange a message with
a photo; the buyer accepts the samples, then the bulk quote, whose deposit the chamber records as paid
by bank transfer; the order reaches the potter's fulfilment, where it is accepted.
The orders are checked once the browser is closed."""

import re
from dataclasses import dataclass
from datetime import date, timedelta
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


@pytest.fixture
def glaze_photo(tmp_path):
    from tests.factories.catalog import jpeg_bytes

    path = tmp_path / "celadon-glaze.jpg"
    path.write_bytes(jpeg_bytes(colour=(150, 190, 170)))
    return path


@pytest.fixture
def pottery_craft(demo_site):
    """The pottery craft's id and the two demo potteries that practise it."""
    from demo.seed.quotes import POTTERIES, POTTERY_CRAFT
    from sellers.models import Trade

    return Trade.objects.get(country="MA", code=POTTERY_CRAFT).pk, POTTERIES


def test_a_dutch_shop_is_verified_buys_two_cases_and_orders_300_tagines_on_a_quote(
        demo_site, offer, proof, glaze_photo, pottery_craft, after_browser, chromium, results_dir):
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

    # The shop asks both potteries for 300 tagines in its glaze, samples first.
    craft_id, potteries = pottery_craft
    buyer.goto(demo_site.url + "/en/account/quotes/")
    buyer.get_by_role("link", name="Ask for a quote").click()
    buyer.select_option("#id_craft", str(craft_id))
    buyer.get_by_role("button", name="Show the makers").click()
    for pottery in potteries:
        buyer.get_by_label(pottery).check()
    buyer.fill("#id_title", "300 tagines, our celadon glaze")
    buyer.fill("#id_description", "Tagine, 30 cm, lidded, food-safe")
    buyer.fill("#id_quantity", "300")
    buyer.fill("#id_customisation", "Celadon glaze as in the photo; our logo stamped under the lid")
    buyer.set_input_files("#id_photos", str(glaze_photo))
    buyer.fill("#id_target_unit_price", "18")
    buyer.select_option("#id_currency", "EUR")
    buyer.select_option("#id_destination_country", "NL")
    buyer.fill("#id_destination_place", "Amsterdam")
    buyer.select_option("#id_incoterm", "DAP")
    buyer.fill("#id_needed_by", (date.today() + timedelta(days=120)).isoformat())
    buyer.check("#id_samples_wanted")
    buyer.get_by_role("button", name="Send the request").click()
    expect(buyer).to_have_url(re.compile(r"/en/account/quotes/$"))
    expect(buyer.locator(".quote-threads tbody tr")).to_have_count(2)
    reference = re.search(r"RFQ\d\d-\w{6}", buyer.locator(".quote-threads").inner_text()).group(0)

    # The potter answers with samples, then the bulk quote.
    potter = chromium.new_context(viewport=VIEWPORT, locale="en-GB", service_workers="block").new_page()
    potter.goto(demo_site.url + "/admin/login/")
    potter.locator("#id_username").fill("potter")
    potter.locator("#id_password").fill(PASSWORDS["potter"])
    potter.locator("form button[type=submit]").click()
    expect(potter).to_have_url(re.compile(r"/admin/$"))
    potter.goto(demo_site.url + "/admin/quote_threads/")
    potter.get_by_role("link", name=re.compile(reference)).first.click()
    expect(potter.locator("body")).to_contain_text("celadon-glaze.jpg")
    valid_until = (date.today() + timedelta(days=30)).isoformat()
    quote_form = potter.locator("form[data-action=quote]")
    quote_form.locator("#id_quote-kind").select_option("sample")
    quote_form.locator("#id_lines-0-quantity").fill("2")
    quote_form.locator("#id_lines-0-unit_price").fill("260")
    quote_form.locator("#id_lines-0-hs_code").fill("6912.00")
    quote_form.locator("#id_lines-0-weight_grams").fill("2600")
    quote_form.locator("#id_quote-lead_time_days").fill("10")
    quote_form.locator("#id_quote-delivery_days").fill("6")
    quote_form.locator("#id_quote-valid_until").fill(valid_until)
    quote_form.locator("#id_quote-shipping").fill("450")
    quote_form.locator("#id_quote-sample_credited").check()
    quote_form.get_by_role("button", name="Send the quote").click()
    expect(potter.locator(".messages")).to_contain_text(f"Quote {reference}-Q1 sent")
    quote_form = potter.locator("form[data-action=quote]")
    quote_form.locator("#id_quote-kind").select_option("bulk")
    quote_form.locator("#id_lines-0-quantity").fill("300")
    quote_form.locator("#id_lines-0-unit_price").fill("175")
    quote_form.locator("#id_lines-0-hs_code").fill("6912.00")
    quote_form.locator("#id_lines-0-weight_grams").fill("2600")
    quote_form.locator("#id_quote-lead_time_days").fill("50")
    quote_form.locator("#id_quote-delivery_days").fill("10")
    quote_form.locator("#id_quote-valid_until").fill(valid_until)
    quote_form.locator("#id_quote-shipping").fill("6800")
    quote_form.locator("#id_quote-deposit_percent").fill("30")
    quote_form.get_by_role("button", name="Send the quote").click()
    expect(potter.locator(".messages")).to_contain_text(f"Quote {reference}-Q2 sent")

    # A message with a photo, and the answer.
    buyer.goto(demo_site.url + "/en/account/quotes/")
    buyer.locator(".quote-threads tr", has_text=potteries[0]).get_by_role("link").click()
    expect(buyer.locator("[data-quote]")).to_have_count(2)
    buyer.fill("#id_message-body", "Here is our glaze on a plate: can you match it?")
    buyer.set_input_files("#id_message-files", str(glaze_photo))
    buyer.get_by_role("button", name="Send the message").click()
    expect(buyer.locator(".quote-messages [data-attachment]")).to_have_text("celadon-glaze.jpg")
    potter.reload()
    expect(potter.locator(".quote-messages")).to_contain_text("can you match it?")
    potter.fill("#id_message-body", "Yes: the samples will show you the match.")
    potter.get_by_role("button", name="Send the message").click()
    expect(potter.locator(".messages")).to_contain_text("Message sent")
    buyer.reload()
    expect(buyer.locator(".quote-messages")).to_contain_text("the samples will show you the match")
    buyer.screenshot(path=results_dir / "wholesale-3-quotes-and-messages.png", full_page=True)
    buyer.set_viewport_size({"width": 390, "height": 844})  # a phone: nothing scrolls sideways
    for page_url in (buyer.url, demo_site.url + "/en/account/quotes/"):
        buyer.goto(page_url)
        wide = buyer.evaluate("""[...document.querySelectorAll('main *')].filter(e => !e.closest('.table-scroll')
            && e.getBoundingClientRect().right > 391).map(e => e.tagName + '.' + e.className).slice(0, 10)""")
        assert buyer.evaluate("document.documentElement.scrollWidth") <= 390, (page_url, wide)
    buyer.screenshot(path=results_dir / "wholesale-3-phone.png", full_page=True)
    buyer.set_viewport_size(VIEWPORT)

    # The samples are accepted, then the bulk quote.
    for number in (1, 2):
        buyer.goto(demo_site.url + "/en/account/quotes/")
        buyer.locator(".quote-threads tr", has_text=potteries[0]).get_by_role("link").click()
        section = buyer.locator(f"[data-accept-quote='{reference}-Q{number}']")
        section.locator("[name$=name]").fill("Studio Van Dijk")
        section.locator("[name$=line1]").fill("Prinsengracht 263")
        section.locator("[name$=city]").fill("Amsterdam")
        section.locator("[name$=postal_code]").fill("1016 GV")
        section.locator("[name$=country]").select_option("NL")
        section.locator("[name$=currency]").select_option("EUR")
        section.get_by_role("button", name="Accept and place the order").click()
        expect(buyer).to_have_url(re.compile(r"/en/orders/SE\d\d-\w+/"))
    expect(buyer.locator("main")).to_contain_text("Deposit (30 %)")
    bulk_reference = re.search(r"/orders/(SE\d\d-\w+)/", buyer.url).group(1)
    deposit = deposit_of(bulk_reference)

    staff.goto(demo_site.url + "/admin/orders/")
    staff.get_by_role("link", name=bulk_reference).click()
    staff.get_by_role("link", name="Record the bank transfer").click()
    staff.locator("#id_amount").fill(str(deposit))
    staff.locator("#id_confirm").check()
    staff.locator("form button[type=submit]").last.click()
    expect(staff.locator(".messages")).to_contain_text("Payment recorded")

    potter.goto(demo_site.url + "/admin/seller_orders/")
    potter.get_by_role("link", name=re.compile(re.escape(bulk_reference) + r"-\d")).first.click()
    potter.get_by_role("button", name="Accept this order").click()
    expect(potter.locator("[data-seller-order-status]")).to_have_text("Accepted")
    potter.screenshot(path=results_dir / "wholesale-4-quote-order-accepted.png", full_page=True)
    after_browser.append(lambda: quote_order_checked(reference, bulk_reference))


def deposit_of(order_reference: str) -> Decimal:
    from marketplace.orders.models import Order

    return Order.objects.get(reference=order_reference).deposit


def quote_order_checked(request_reference: str, bulk_reference: str):
    from marketplace.orders.models import Order, SellerOrder
    from marketplace.quotes.models import Quote

    sample, bulk = Quote.objects.filter(thread__request__reference=request_reference).order_by("number")
    assert (sample.kind, sample.status, bulk.kind, bulk.status) == ("sample", "accepted", "bulk", "accepted")
    order = Order.objects.get(reference=bulk_reference)
    assert bulk.order == order and order.status == Order.Status.PAID and order.balance_open
    assert order.lines.get().quantity == 300 and order.lines.get().unit_price_base == Decimal("175.00")
    assert order.seller_orders.get().status == SellerOrder.Status.ACCEPTED
    assert order.reverse_charge


def order_checked(offer):
    from marketplace.orders.models import Order, OrderCharge

    order = Order.objects.get(trade_company__legal_name=SHOP, quote__isnull=True)
    assert order.reverse_charge and order.buyer_vat_number == VAT_NUMBER
    line = order.lines.get()
    assert line.quantity == offer.case_pack * 2
    reached = max(quantity for quantity in offer.tier_prices if quantity <= line.quantity)
    assert line.unit_price_base == offer.tier_prices[reached]
    assert not order.charges.filter(kind=OrderCharge.Kind.TAX).exclude(amount=0).exists()
