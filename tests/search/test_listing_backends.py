import pytest

from catalog.models import ProductPage
from search.backends import ListingQuery, get_listing_backend
from search.backends.database import DatabaseListingBackend
from search.backends.elasticsearch import ElasticsearchListingBackend
from sellers.models import Seller
from tests.factories.catalog import product_create, seller_pages


@pytest.fixture
def listings(tree):
    pages = seller_pages(tree)
    return {
        "rug": product_create(pages, title="Taznakht rug"),
        "plate": product_create(pages, title="Safi plate", craft="1.03.02", hs_code="6912.00"),
    }


@pytest.mark.django_db
class TestDatabaseBackend:
    def test_finds_pages_of_the_querys_language_whose_title_matches(self, listings):
        results = DatabaseListingBackend().search(ListingQuery(text="taznakht", language="fr"))
        assert results.total == 1
        page_languages = {page.locale.language_code for page in ProductPage.objects.filter(pk__in=results.page_ids)}
        assert page_languages == {"fr"}

    def test_every_word_must_match(self, listings):
        assert DatabaseListingBackend().search(ListingQuery(text="safi rug")).total == 0
        assert DatabaseListingBackend().search(ListingQuery(text="safi plate")).total == 1

    def test_an_empty_query_lists_everything_paged(self, listings):
        results = DatabaseListingBackend().search(ListingQuery(text="", page=2, page_size=1))
        assert results.total == 2 and len(results.page_ids) == 1

    def test_a_suspended_sellers_products_are_not_found(self, listings):
        Seller.objects.update(status=Seller.Status.SUSPENDED)
        assert DatabaseListingBackend().search(ListingQuery(text="rug")).total == 0

    def test_the_search_page_shows_the_hits(self, client, listings):
        response = client.get("/en/search/?q=rug")
        assert response.status_code == 200
        assert [card.product_id for card in response.context["hits"]] == [listings["rug"].pk]


class TestBackendSetting:
    def test_the_backend_is_the_one_the_setting_names(self, settings):
        settings.LISTING_SEARCH_BACKENDS = {
            "default": {"BACKEND": "search.backends.elasticsearch.ElasticsearchListingBackend", "OPTIONS": {"url": "http://127.0.0.1:9"}}
        }
        assert isinstance(get_listing_backend(), ElasticsearchListingBackend)
        settings.LISTING_SEARCH_BACKENDS = {"default": {"BACKEND": "search.backends.database.DatabaseListingBackend"}}
        assert isinstance(get_listing_backend(), DatabaseListingBackend)


class TestElasticsearchQueryBody:
    """The query the Elasticsearch backend sends; no server is needed to check what it asks for."""

    def body(self, **query):
        backend = ElasticsearchListingBackend(url="http://127.0.0.1:9", index="listings")
        return backend.build_search(ListingQuery(**query)).to_dict()

    def test_text_is_matched_fuzzily_on_title_and_description_in_the_language(self):
        body = self.body(text="tajine", language="ar")
        assert body["query"]["bool"]["filter"] == [{"term": {"language": "ar"}}]
        match = body["query"]["bool"]["must"][0]["multi_match"]
        assert match == {"query": "tajine", "fields": ["title^3", "description"], "fuzziness": "AUTO"}

    def test_pages_are_sliced_and_sources_left_out(self):
        body = self.body(page=3, page_size=20)
        assert (body["from"], body["size"], body["_source"]) == (40, 20, False)
