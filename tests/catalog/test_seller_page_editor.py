"""Wagtail's full page editor, as a seller's member sees it: plain words, no address or search-engine
fields to fill in, no false "validation errors" from autosave, and a way out of the lock after sending
a product for checking."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import Collection, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from catalog.models import ProductPage, SellerPage
from catalog.services import seller_workspace_open
from sellers.roles import CHAMBER_STAFF_GROUP
from tests.factories.catalog import image_create
from tests.factories.sellers import SellerFactory, SellerMemberFactory, UserFactory, region, trade

pytestmark = pytest.mark.django_db


@pytest.fixture
def workspace(tree):
    seller = SellerFactory(legal_name="Coopérative Tiwizi", slug="cooperative-tiwizi")
    member = SellerMemberFactory(seller=seller, user__username="tiwizi").user
    seller_workspace_open(seller=seller)
    page = SellerPage.objects.get(seller=seller, locale__language_code="en")
    image = image_create("Tiwizi rug")
    image.collection = Collection.objects.get(name__startswith="Coopérative Tiwizi (")
    image.save()
    return page, member, image


def add_url(parent):
    return reverse("wagtailadmin_pages:add", args=("catalog", "productpage", parent.pk))


def product_form(image, **extra):
    return nested_form_data({
        "title": "Azilal rug",
        "description": rich_text("<p>Ivory wool.</p>"),
        "gallery_images": inline_formset([{"image": image.pk, "caption": ""}]),
        "product_price": "2500.00", "product_stock": "4", "product_min_order_quantity": "1",
        "product_craft": trade("1.01.01").pk, "product_origin_region": region("MA-05").pk,
        "product_hs_code": "570110", "product_weight_grams": "5000",
        **extra,
    })


class TestSellerEditor:
    def test_a_seller_sees_no_address_or_search_engine_fields_and_no_autosave(self, client, workspace):
        parent, member, _image = workspace
        client.force_login(member)
        response = client.get(add_url(parent))
        assert response.status_code == 200
        content = response.content.decode()
        assert 'name="slug"' not in content and 'name="seo_title"' not in content
        assert response.context["autosave_enabled"] is False
        assert "Send for checking" in content
        assert "Submit to" not in content

    def test_chamber_staff_still_edit_the_address(self, client, workspace):
        parent, _member, _image = workspace
        staff = UserFactory(username="chamber", is_superuser=True)
        staff.groups.add(Group.objects.get_or_create(name=CHAMBER_STAFF_GROUP)[0])
        client.force_login(staff)
        assert 'name="slug"' in client.get(add_url(parent)).content.decode()

    def test_sending_for_checking_without_an_address_works_and_the_seller_can_take_it_back(self, client, workspace):
        parent, member, image = workspace
        client.force_login(member)
        response = client.post(add_url(parent), product_form(image, **{"action-submit": "action-submit"}))
        assert response.status_code == 302, response.content.decode()[:3000]
        page = ProductPage.objects.get(title="Azilal rug")
        assert page.slug == "azilal-rug"
        assert WorkflowState.objects.filter(object_id=str(page.pk), status=WorkflowState.STATUS_IN_PROGRESS).exists()

        content = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
        assert "The chamber is checking this product" in content
        assert "Take it back to change it" in content
        assert "Cancel workflow" not in content
