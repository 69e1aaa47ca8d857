"""The public catalogue pages in three languages, what they list, and their cost in queries."""

import warnings

import pytest
from django.core.cache import CacheKeyWarning
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import ProductPage
from sellers.models import Seller
from tests.factories.catalog import product_create, seller_pages
from tests.factories.sellers import SellerFactory

pytestmark = pytest.mark.django_db

MAX_QUERIES_PER_PAGE = 10


@pytest.fixture
def catalogue(tree):
    rugs = seller_pages(tree)
    potters = seller_pages(tree, SellerFactory(legal_name="Poterie de Safi", slug="poterie-safi", region__code="MA-07"))
    rug = product_create(rugs, title="Taznakht rug")
    plate = product_create(potters, title="Safi plate", craft="1.03.02", hs_code="6912.00")
    return {"tree": tree, "rugs": rugs, "potters": potters, "rug": rug, "plate": plate}


def page_of(product, language="en"):
    return ProductPage.objects.get(product=product, locale__language_code=language)


class TestPagesRender:
    @pytest.mark.parametrize("language", ["en", "fr", "ar"])
    def test_home_category_seller_and_product_pages_render_in_each_language(self, client, catalogue, language):
        tree = catalogue["tree"]
        for page in (tree.homes[language], tree.categories[language], catalogue["rugs"][language], page_of(catalogue["rug"], language)):
            response = client.get(page.url)
            assert response.status_code == 200, page.url
            assert f'lang="{language}"' in response.content.decode()

    def test_the_product_page_shows_the_shared_facts(self, client, catalogue):
        html = client.get(page_of(catalogue["rug"], "fr").url).content.decode()
        assert "Taznakht rug (fr)" in html
        assert "5701.10" in html
        assert "1\u202f200,00\xa0MAD" in html  # French groups thousands (narrow no-break space) and sets the unit apart
        assert 'srcset="' in html and ".webp" in html

    def test_arabic_pages_are_right_to_left(self, client, catalogue):
        html = client.get(catalogue["tree"].homes["ar"].url).content.decode()
        assert 'dir="rtl"' in html
        assert 'dir="ltr"' not in html.split("<body")[0]


class TestCategoryListing:
    def test_shows_its_title_and_facets_but_not_its_own_category(self, client, catalogue):
        category = catalogue["tree"].categories["en"]
        response = client.get(category.url)
        html = response.content.decode()
        assert f"<h1>{category.title}</h1>" in html
        facets = [group["name"] for group in response.context["facets"]]
        assert "craft" in facets and "category" not in facets

    def test_lists_products_of_its_trade_and_its_activities_only(self, client, catalogue):
        response = client.get(catalogue["tree"].categories["en"].url)
        listed = [card.product_id for card in response.context["hits"]]
        assert listed == [catalogue["rug"].pk]

    def test_lists_only_the_pages_in_its_language(self, client, catalogue):
        response = client.get(catalogue["tree"].categories["fr"].url)
        assert [card.language for card in response.context["hits"]] == ["fr"]

    def test_a_suspended_sellers_products_are_not_listed(self, client, catalogue):
        Seller.objects.filter(pk=catalogue["rug"].seller_id).update(status=Seller.Status.SUSPENDED)
        response = client.get(catalogue["tree"].categories["en"].url)
        assert list(response.context["hits"]) == []

    def test_pages_beyond_the_last_show_the_last(self, client, catalogue):
        response = client.get(catalogue["tree"].categories["en"].url + "?page=99")
        assert response.context["listing_page"].number == 1


class TestQueriesDoNotGrowWithProducts:
    def count_queries(self, client, url):
        client.get(url)  # renditions are made on the first view
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    def test_each_catalogue_page_costs_the_same_few_queries_with_2_or_12_products(self, client, catalogue):
        tree, rugs = catalogue["tree"], catalogue["rugs"]
        urls = [tree.homes["en"].url, tree.categories["en"].url, rugs["en"].url, page_of(catalogue["rug"]).url]
        before = [self.count_queries(client, url) for url in urls]
        for number in range(10):
            product_create(rugs, title=f"Azilal rug {number}")
        after = [self.count_queries(client, url) for url in urls]

        assert after == before
        assert max(after) <= MAX_QUERIES_PER_PAGE, dict(zip(urls, after, strict=True))


class TestRouteCache:
    def test_a_hostile_path_makes_no_unsafe_cache_key_and_a_page_is_routed_from_the_cache(self, client, catalogue):
        page = page_of(catalogue["rug"])
        hostile = page.url + "x" * 300 + "/"  # the longest key memcached takes is 250 characters
        with warnings.catch_warnings():
            warnings.simplefilter("error", CacheKeyWarning)
            assert client.get(hostile).status_code == 404
            assert client.get(page.url).status_code == 200
            with CaptureQueriesContext(connection) as queries:
                assert client.get(page.url).status_code == 200
        assert not any("wagtailcore_page" in query["sql"] and "path" in query["sql"] and "LIKE" in query["sql"] for query in queries)
