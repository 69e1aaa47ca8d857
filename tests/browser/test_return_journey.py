"""A consumer in Lyon withdraws from one line of a delivered order within the 14 days: she asks from her
order page, the seller authorises it in the admin with its return address, she enters the tracking, the
seller confirms receipt, and the chamber records the refund by transfer. A made-to-order line offers no
withdrawal. The refund and the stock are checked once the browser is closed."""

import re
from dataclasses import dataclass

import pytest

pytest.importorskip("playwright.sync_api", reason="the Python package playwright is not installed")
from playwright.sync_api import expect

from demo.seed import DEMO_LOGINS, DEMO_SELLER_LOGINS

from .conftest import VIEWPORT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORDS = {login.username: login.password for login in DEMO_LOGINS}


@dataclass(frozen=True)
class Delivered:
    order_url: str
    reference: str
    product_id: int
    stock_before: int
    title: str
    made_to_order_title: str


@pytest.fixture
def delivered(demo_site):
    """An order to Lyon of two units of a product and one made-to-order piece of the demo seller, paid and
    delivered yesterday, placed through the services before the browser opens (see conftest)."""
    from datetime import timedelta

    from django.utils import timezone

    from catalog.models import Product
    from marketplace.orders.models import SellerOrder
    from marketplace.orders.selectors import order_url
    from marketplace.orders.services import OrderRequest, order_paid, order_place
    from marketplace.shipping.addresses import ShippingAddress

    legal_name = DEMO_SELLER_LOGINS["seller"]
    product = Product.objects.filter(seller__legal_name=legal_name, made_to_order=False, stock__gte=2,
                                     min_order_quantity=1).order_by("pk").first()
    custom = Product.objects.filter(seller__legal_name=legal_name, made_to_order=True, min_order_quantity=1).first()
    if custom is None:
        custom = Product.objects.filter(seller__legal_name=legal_name).exclude(pk=product.pk).first()
        Product.objects.filter(pk=custom.pk).update(made_to_order=True, lead_time_days=10, min_order_quantity=1)
    lyon = ShippingAddress(name="Camille Bernard", line1="8 rue de la République", line2="", city="Lyon",
                           region="", postal_code="69002", country="FR", phone="+33 4 72 00 00 00")
    order = order_place(requests=[OrderRequest(product.pk, 2), OrderRequest(custom.pk, 1)],
                        email="camille.bernard@example.fr", address=lyon, currency="EUR",
                        provider_name="offline", language="en", incoterm="DDP")
    order_paid(order=order, amount=order.total, currency="EUR")
    SellerOrder.objects.filter(order=order).update(status=SellerOrder.Status.DELIVERED,
                                                   delivered_at=timezone.now() - timedelta(days=1))
    stock = Product.objects.get(pk=product.pk).stock
    titles = dict(order.lines.values_list("product_id", "title"))
    return Delivered(order_url=order_url(order), reference=order.reference, product_id=product.pk,
                     stock_before=stock, title=titles[product.pk], made_to_order_title=titles[custom.pk])


@pytest.fixture
def after_browser():
    """Checks made once the browser is closed (no ORM call while it is open)."""
    checks = []
    yield checks
    for check in checks:
        check()


def signed_in(chromium, demo_site, username):
    tab = chromium.new_context(viewport=VIEWPORT, locale="en-GB", service_workers="block").new_page()
    tab.goto(demo_site.url + "/admin/login/")
    tab.locator("#id_username").fill(username)
    tab.locator("#id_password").fill(PASSWORDS[username])
    tab.locator("form button[type=submit]").click()
    expect(tab).to_have_url(re.compile(r"/admin/$"))
    return tab


def open_return(tab, demo_site, return_reference):
    tab.goto(demo_site.url + "/admin/returns_admin/")
    tab.get_by_role("link", name=return_reference).first.click()
    expect(tab.get_by_role("heading", level=1)).to_contain_text(return_reference)


def test_a_french_consumer_withdraws_from_one_line_and_is_refunded(demo_site, delivered, after_browser, chromium,
                                                                  results_dir):
    buyer = chromium.new_context(viewport=VIEWPORT, locale="fr-FR", service_workers="block").new_page()
    buyer.goto(demo_site.url + delivered.order_url)
    expect(buyer.locator("[data-withdrawal-open]")).to_be_visible()
    expect(buyer.locator("[data-excepted]")).to_contain_text(delivered.made_to_order_title)
    buyer.locator("[data-return-items]").click()
    buyer.locator("form tbody tr", has_text=delivered.title).locator("input").fill("1")  # one of the two
    buyer.locator("form tbody tr", has_text=delivered.made_to_order_title).locator("input").fill("0")
    buyer.get_by_role("button", name="Ask to return").click()
    returned = buyer.locator("[data-return]")
    expect(returned).to_have_count(1)
    return_reference = returned.get_attribute("data-return")
    buyer.screenshot(path=results_dir / "return-1-requested.png", full_page=True)

    seller = signed_in(chromium, demo_site, "seller")
    open_return(seller, demo_site, return_reference)
    seller.locator("form[data-action=authorise] button[type=submit]").click()
    expect(seller.locator(".messages")).to_contain_text("Authorised")

    buyer.reload()
    buyer.locator(f"[data-return='{return_reference}'] input[name=carrier]").fill("La Poste")
    buyer.locator(f"[data-return='{return_reference}'] input[name=tracking_number]").fill("6A12345678901")
    buyer.get_by_role("button", name="I have sent it").click()
    expect(buyer.locator(f"[data-return='{return_reference}']")).to_contain_text("6A12345678901")

    open_return(seller, demo_site, return_reference)
    seller.locator("form[data-action=receive] button[type=submit]").click()
    expect(seller.locator(".messages")).to_contain_text("Received")

    staff = signed_in(chromium, demo_site, "staff")
    open_return(staff, demo_site, return_reference)
    staff.locator("#id_refund_record-reference").fill("TRANSFER-BACK-1")
    staff.get_by_role("button", name=re.compile("refunded to the buyer")).click()

    buyer.reload()
    expect(buyer.locator(f"[data-return='{return_reference}'] [role=status]")).to_contain_text("Refunded")
    buyer.screenshot(path=results_dir / "return-2-refunded.png", full_page=True)
    after_browser.append(lambda: refund_and_stock_checked(delivered, return_reference))


def refund_and_stock_checked(delivered, return_reference):
    from catalog.models import Product
    from marketplace.returns.models import ReturnRequest

    returned = ReturnRequest.objects.select_related("seller_order").get(reference=return_reference)
    line = returned.lines.get()
    assert returned.legal_withdrawal and returned.status == ReturnRequest.Status.REFUNDED
    assert line.quantity == 1 and line.order_line.product_id == delivered.product_id
    # One unit's price and its share of the VAT collected; no shipping (the rest of the part was kept).
    assert returned.refund_amount > line.order_line.unit_price
    assert returned.seller_order.refunded == returned.refund_amount < returned.seller_order.total
    assert Product.objects.get(pk=delivered.product_id).stock == delivered.stock_before + 1
