"""A seller edits a product's wholesale prices, case pack and suggested retail price with the rest of the
product; tiers that break the rules are refused with a message and nothing is saved."""

from decimal import Decimal

import pytest
from django.urls import reverse

from catalog.forms import price_tiers_parse
from catalog.models import Product, ProductPage
from catalog.pricing import Tier
from tests.catalog.test_product_admin import add_url, product_form
from tests.factories.catalog import image_create, seller_pages
from tests.factories.sellers import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    return client


def test_a_product_is_created_with_its_tiers_case_pack_and_suggested_retail_price(admin_client, tree):
    pages = seller_pages(tree)
    response = admin_client.post(add_url(pages["en"]), product_form(
        image_create(), product_price_tiers="1: 2400\n12: 2200.50\n48: 2000", product_case_pack="6",
        product_suggested_retail_price="4800"))
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    product = ProductPage.objects.get(slug="azilal-rug").product
    assert [(t.min_quantity, t.unit_price) for t in product.price_tiers.all()] == [
        (1, Decimal("2400")), (12, Decimal("2200.50")), (48, Decimal("2000"))]
    assert product.case_pack == 6 and product.suggested_retail_price == Decimal("4800")


@pytest.mark.parametrize("tiers, message", [
    ("1: 2400\n12: 2400", "must be lower"),
    ("2: 2400\n12: 2000", "minimum order quantity (1)"),
    ("1: 3000", "above the retail price"),
    ("1 2400", "Line 1"),
    ("1: -5", "Line 1"),
    ("1: 12.345", "Line 1"),
    ("x: NaN", "Line 1"),
])
def test_bad_tiers_are_refused_and_nothing_is_saved(admin_client, tree, tiers, message):
    pages = seller_pages(tree)
    response = admin_client.post(add_url(pages["en"]), product_form(image_create(), product_price_tiers=tiers))
    assert response.status_code == 200
    assert message in str(response.context["form"].errors["product_price_tiers"])
    assert not Product.objects.exists()


def test_tiers_edited_on_a_translation_replace_the_old_ones(admin_client, tree):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

    pages = seller_pages(tree)
    created = admin_client.post(add_url(pages["en"]), product_form(image_create(), product_price_tiers="1: 2400\n12: 2200"))
    assert created.status_code == 302, created.context["form"].errors if created.context else created
    page = ProductPage.objects.get(slug="azilal-rug")
    edit = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    form = admin_client.get(edit).context["form"]
    assert form.initial["product_price_tiers"] == "1: 2400.00\n12: 2200.00"
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(description=rich_text("<p>Wool.</p>"), product_price_tiers="1: 2300\n24: 2100",
                gallery_images=inline_formset([{"image": page.gallery_images.first().image_id,
                                                "id": page.gallery_images.first().pk}]),
                **{"action-publish": "action-publish"})
    response = admin_client.post(edit, nested_form_data(data))
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    assert [(t.min_quantity, t.unit_price) for t in page.product.price_tiers.all()] == [
        (1, Decimal("2300")), (24, Decimal("2100"))]


def test_tiers_are_read_one_a_line_in_quantity_order():
    assert price_tiers_parse("48: 80\n\n1: 100\n12=90,50") == [
        Tier(1, Decimal("100")), Tier(12, Decimal("90.50")), Tier(48, Decimal("80"))]
