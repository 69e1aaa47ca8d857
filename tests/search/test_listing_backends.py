import pytest

from search.backends import ListingQuery, get_listing_backend
from search.backends.database import DatabaseListingBackend
from search.backends.elasticsearch import ElasticsearchListingBackend
from tests.factories.catalog import product_create, seller_pages


@pytest.fixture
def listings(tree):
    pages = seller_pages(tree)
    return {
        "rug": product_create(pages, title="Taznakht rug"),
        "plate": product_create(pages, title="Safi plate", craft="1.03.02", hs_code="6912.00"),
    }


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
