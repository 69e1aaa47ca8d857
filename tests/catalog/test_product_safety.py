"""Product safety (GPSR): what an EU offer needs, reported by name; orders to the EU refused without it,
elsewhere accepted; the product page shows it before the basket button; the workspace lists the gaps."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from catalog.models import EuResponsiblePersonSettings, Product, ProductPage
from catalog.offers import offer_problems_for, product_safety_missing
from catalog.selectors import seller_workspace_summaries
from catalog.services import seller_workspace_open
from customs.services import sample_rules_load
from marketplace.shipping.addresses import ShippingAddress
from marketplace.shipping.models import ShippingRate, ShippingZone
from tests.catalog.test_product_admin import product_form
from tests.factories.catalog import image_create, product_create, seller_pages
from tests.factories.orders import europe_zone, order_for
from tests.factories.sellers import SellerFactory, SellerMemberFactory, UserFactory

pytestmark = pytest.mark.django_db

BERLIN = ShippingAddress(name="Jonas Weber", line1="Invalidenstraße 117", line2="", city="Berlin", region="",
                         postal_code="10115", country="DE", phone="+49 30 1234567")
OTTAWA = ShippingAddress(name="Chloé Tremblay", line1="111 Wellington Street", line2="", city="Ottawa", region="ON",
                         postal_code="K1A 0A9", country="CA", phone="+1 613 555 0199")
COMPLETE_SELLER = {"postal_address": "Coopérative Tifawin\nDouar Ait Ali, Taznakht", "contact_email": "tifawin@example.ma",
                   "eu_responsible_person": "Tifawin Europe SARL, 5 rue de Lyon, 75012 Paris, eu@tifawin.example"}


def platform_responsible_person_set():
    responsible = EuResponsiblePersonSettings.load()
    responsible.name, responsible.postal_address, responsible.email = (
        "Chamber EU desk", "Rue Belliard 20, Brussels", "eu-desk@chamber.example")
    responsible.full_clean()
    responsible.save()


def _product(tree, seller_fields=None, **fields):
    seller = SellerFactory(**(seller_fields or {}))
    return product_create(seller_pages(tree, seller), **fields)


@pytest.fixture
def bare(tree):
    """A wool rug (a textile) whose seller and product give nothing of what an EU offer needs."""
    return _product(tree, title="Bare rug")


@pytest.fixture
def complete(tree):
    return _product(tree, COMPLETE_SELLER, title="Complete rug", product_identifier="TZN-2026-01",
                    fibre_composition="100% wool", no_safety_warnings=True)


class TestMissing:
    def test_everything_missing_is_named(self, bare):
        assert product_safety_missing(bare) == [
            "the manufacturer's postal address", "the manufacturer's contact email", "a responsible person in the EU",
            "the product identifier (type, model or batch)", "safety warnings (or “no safety warnings needed”)",
            "the fibre composition"]

    def test_a_complete_product_misses_nothing(self, complete):
        assert product_safety_missing(complete) == []

    def test_fibre_composition_is_asked_only_of_textiles(self, tree):
        plate = _product(tree, COMPLETE_SELLER, title="Plate", craft="1.03.02", hs_code="6912.00",
                         product_identifier="PL-1", no_safety_warnings=True)
        assert product_safety_missing(plate) == []
        plate.hs_code = "6304.91"  # a cushion cover: textile
        assert product_safety_missing(plate) == ["the fibre composition"]

    def test_warnings_written_on_a_page_count_instead_of_the_no_warnings_choice(self, complete):
        Product.objects.filter(pk=complete.pk).update(no_safety_warnings=False)
        complete.refresh_from_db()
        assert product_safety_missing(complete) == ["safety warnings (or “no safety warnings needed”)"]
        ProductPage.objects.filter(product=complete, locale__language_code="fr").update(
            safety_warnings="Ne convient pas aux enfants de moins de 3 ans.")
        assert product_safety_missing(complete) == []

    def test_the_platforms_responsible_person_covers_a_seller_without_one(self, tree):
        product = _product(tree, {**COMPLETE_SELLER, "eu_responsible_person": ""}, product_identifier="X-1",
                           fibre_composition="100% wool", no_safety_warnings=True)
        assert product_safety_missing(product) == ["a responsible person in the EU"]
        platform_responsible_person_set()
        assert product_safety_missing(product) == []

    def test_the_platform_setting_takes_all_three_or_none(self, db):
        with pytest.raises(ValidationError):
            EuResponsiblePersonSettings(name="Chamber EU desk").full_clean()

    def test_the_missing_names_are_translated(self, bare):
        with translation.override("fr"):
            missing = product_safety_missing(bare)
        assert len(missing) == 6 and all(isinstance(name, str) for name in missing)


class TestOrdersToTheEu:
    @pytest.fixture(autouse=True)
    def zones(self, db):
        sample_rules_load()
        europe_zone()
        zone = ShippingZone(name="North America", countries="CA, US", transit_days=10)
        zone.full_clean()
        zone.save()
        ShippingRate.objects.create(zone=zone, max_weight_grams=10000, price="400")

    def test_a_product_without_its_safety_information_cannot_be_ordered_to_germany(self, bare):
        with pytest.raises(ValidationError) as refused:
            order_for((bare, 1), address=BERLIN)
        assert "EU law requires" in " ".join(refused.value.messages)
        assert "the product identifier" in " ".join(refused.value.messages)

    def test_the_same_product_ships_to_canada(self, bare):
        order = order_for((bare, 1), address=OTTAWA, currency="CAD")
        assert order.pk and order.ship_country == "CA"

    def test_a_complete_product_ships_to_germany(self, complete):
        assert order_for((complete, 1), address=BERLIN).ship_country == "DE"

    def test_offer_problems_name_only_the_incomplete_products(self, bare, complete):
        sample_rules_load()
        assert set(offer_problems_for([bare, complete], "DE")) == {bare.pk}
        assert offer_problems_for([bare, complete], "CA") == {}


class TestProductPage:
    def test_the_page_shows_seller_manufacturer_and_safety_information_before_the_basket(self, client, complete):
        seller = complete.seller
        seller.register_number = seller.register_number or ""
        ProductPage.objects.filter(product=complete, locale__language_code="en").update(
            care_instructions="Shake it out; clean it with a damp cloth.")
        page = ProductPage.objects.get(product=complete, locale__language_code="en")
        html = client.get(page.url).content.decode()
        for text in ("Sold by", "Douar Ait Ali, Taznakht", "tifawin@example.ma", "Tifawin Europe SARL", "TZN-2026-01",
                     "100% wool", "None needed for this product.", "Shake it out", "Report this product"):
            assert text in html, text
        # Linked from above the basket button, shown in full on the same page.
        assert html.index('href="#product-safety-heading"') < html.index("Add to basket")
        assert 'id="product-safety-heading"' in html
        assert f"/en/products/{complete.pk}/report/" in html

    def test_the_platforms_responsible_person_is_shown_for_a_seller_without_one(self, client, tree):
        platform_responsible_person_set()
        product = _product(tree, {**COMPLETE_SELLER, "eu_responsible_person": ""})
        page = ProductPage.objects.get(product=product, locale__language_code="en")
        assert "Chamber EU desk" in client.get(page.url).content.decode()


class TestWorkspace:
    def test_the_workspace_lists_the_products_that_cannot_go_to_the_eu_and_why(self, bare, complete):
        member = SellerMemberFactory(seller=bare.seller)
        [summary] = seller_workspace_summaries(user=member.user)
        [gap] = summary.safety_gaps
        assert gap.title.startswith("Bare rug") and "the fibre composition" in gap.missing
        other = SellerMemberFactory(seller=complete.seller)
        assert seller_workspace_summaries(user=other.user)[0].safety_gaps == ()

    def test_the_dashboard_panel_names_the_product_and_what_it_misses(self, client, bare):
        member = SellerMemberFactory(seller=bare.seller)
        seller_workspace_open(seller=bare.seller)
        client.force_login(member.user)
        html = client.get(reverse("wagtailadmin_home")).content.decode()
        assert "1 product cannot be sold to the EU yet" in html
        assert "Bare rug (en)" in html and "the fibre composition" in html


class TestEditors:
    def test_the_page_editor_saves_the_product_safety_fields(self, client, tree):
        client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
        parent = seller_pages(tree)["en"]
        data = product_form(image_create(), product_product_identifier="AZL-7", product_fibre_composition="90% wool, 10% cotton",
                            safety_warnings="Use a non-slip underlay.", care_instructions="Vacuum gently.")
        response = client.post(reverse("wagtailadmin_pages:add", args=("catalog", "productpage", parent.pk)), data)
        assert response.status_code == 302
        page = ProductPage.objects.get(slug="azilal-rug")
        assert (page.product.product_identifier, page.product.fibre_composition) == ("AZL-7", "90% wool, 10% cotton")
        assert (page.safety_warnings, page.care_instructions) == ("Use a non-slip underlay.", "Vacuum gently.")
        assert "the product identifier (type, model or batch)" not in product_safety_missing(page.product)


def test_a_made_to_order_product_page_says_it_offers_no_withdrawal(client, complete):
    from catalog.models import Product

    page_url = complete.pages.filter(locale__language_code="en").first().url
    assert "right of withdrawal (the EU, the UK) may withdraw" in client.get(page_url).content.decode()
    Product.objects.filter(pk=complete.pk).update(made_to_order=True, lead_time_days=12)
    assert "Made to order for you: not covered by the consumer&#x27;s right of withdrawal." in client.get(
        page_url).content.decode().replace("'", "&#x27;")
