"""Creating and editing product pages in the Wagtail admin: the shared product, validation, nothing half-saved."""

from decimal import Decimal

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from catalog.models import Material, Product, ProductPage
from tests.factories.catalog import image_create, product_create, seller_pages
from tests.factories.sellers import UserFactory, region, trade

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    return client


@pytest.fixture
def sellers_pages(tree):
    return seller_pages(tree)


def product_form(image, **overrides):
    data = {
        "title": "Azilal rug",
        "slug": "azilal-rug",
        "description": rich_text("<p>Ivory wool with freehand motifs.</p>"),
        "gallery_images": inline_formset([{"image": image.pk, "caption": "The rug on the floor"}]),
        "product_price": "2500.00",
        "product_stock": "4",
        "product_min_order_quantity": "1",
        "product_craft": trade("1.01.01").pk,
        "product_origin_region": region("MA-05").pk,
        "product_hs_code": "570110",
        "product_weight_grams": "5000",
        "product_length_cm": "180",
        "product_width_cm": "120",
        "action-publish": "action-publish",
    }
    data.update(overrides)
    form_data = nested_form_data(data)
    form_data["product_materials"] = [Material.objects.get(slug="wool").pk]
    return form_data


def add_url(parent):
    return reverse("wagtailadmin_pages:add", args=("catalog", "productpage", parent.pk))


class TestCreateProductPage:
    def test_a_valid_form_creates_the_product_and_its_published_page(self, admin_client, sellers_pages):
        response = admin_client.post(add_url(sellers_pages["en"]), product_form(image_create()))

        assert response.status_code == 302
        page = ProductPage.objects.get(slug="azilal-rug")
        assert page.live
        product = page.product
        assert product.seller == sellers_pages["en"].seller
        assert product.price == Decimal("2500.00")
        assert product.hs_code == "5701.10"
        assert list(product.materials.values_list("slug", flat=True)) == ["wool"]

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("product_hs_code", "57AB", "6, 8 or 10 digits"),
            ("product_hs_code", "7701.10", "not a chapter"),
            ("product_price", "-5", "greater than or equal to 0.01"),
            ("product_price", "twelve", "Enter a number"),
            ("product_weight_grams", "0", "greater than or equal to 1"),
        ],
    )
    def test_bad_input_is_refused_with_a_message_and_nothing_is_saved(self, admin_client, sellers_pages, field, value, message):
        image = image_create()
        products, pages = Product.objects.count(), ProductPage.objects.count()

        response = admin_client.post(add_url(sellers_pages["en"]), product_form(image, **{field: value}))

        assert response.status_code == 200
        assert message in " ".join(response.context["form"].errors[field])
        assert (Product.objects.count(), ProductPage.objects.count()) == (products, pages)

    def test_a_made_to_order_product_needs_a_lead_time(self, admin_client, sellers_pages):
        response = admin_client.post(
            add_url(sellers_pages["en"]), product_form(image_create(), product_made_to_order="on", product_stock="0")
        )

        assert response.status_code == 200
        assert "needs a lead time" in " ".join(response.context["form"].errors["product_lead_time_days"])
        assert not Product.objects.exists()

    def test_a_craft_of_another_country_is_not_offered(self, admin_client, sellers_pages):
        response = admin_client.post(
            add_url(sellers_pages["en"]), product_form(image_create(), product_craft=trade("2.01.01", country="CM").pk)
        )

        assert response.status_code == 200
        assert "product_craft" in response.context["form"].errors
        assert not Product.objects.exists()


class TestEditTranslation:
    def test_a_price_changed_on_the_french_page_is_the_price_in_every_language(self, admin_client, sellers_pages):
        product = product_create(sellers_pages)
        french = ProductPage.objects.get(product=product, locale__language_code="fr")
        form = admin_client.get(reverse("wagtailadmin_pages:edit", args=(french.pk,))).context["form"]
        data = {name: form[name].value() for name in form.fields if form[name].value() is not None}

        data.update(
            title="Tapis de Taznakht",
            description=rich_text("<p>Laine nouée main.</p>"),
            gallery_images=inline_formset([{"image": french.gallery_images.first().image_id, "id": french.gallery_images.first().pk}]),
            product_price="1500.00",
            **{"action-publish": "action-publish"},
        )
        response = admin_client.post(reverse("wagtailadmin_pages:edit", args=(french.pk,)), nested_form_data(data))

        assert response.status_code == 302, response.context["form"].errors if response.context else response
        product.refresh_from_db()
        assert product.price == Decimal("1500.00")
        assert Product.objects.count() == 1
        english = ProductPage.objects.get(product=product, locale__language_code="en")
        assert english.product.price == Decimal("1500.00")

    def test_saving_a_translation_keeps_a_stock_level_that_changed_meanwhile(self, admin_client, sellers_pages):
        product = product_create(sellers_pages, stock=5)
        french = ProductPage.objects.get(product=product, locale__language_code="fr")
        edit_url = reverse("wagtailadmin_pages:edit", args=(french.pk,))
        html = admin_client.get(edit_url).content.decode()
        assert 'name="initial-product_stock" value="5"' in html

        Product.objects.filter(pk=product.pk).update(stock=1)  # an order took four units
        data = product_form(french.gallery_images.first().image, title="Tapis", slug=french.slug, product_stock="5")
        data["initial-product_stock"] = "5"
        data["gallery_images-0-id"] = french.gallery_images.first().pk
        response = admin_client.post(edit_url, data)

        assert response.status_code == 302, response.context["form"].errors if response.context else response
        product.refresh_from_db()
        assert product.stock == 1
