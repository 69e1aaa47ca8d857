from search.backends import get_listing_backend
from search.backends.database import DatabaseListingBackend
from search.backends.elasticsearch import ElasticsearchListingBackend


class TestBackendSetting:
    def test_the_backend_is_the_one_the_setting_names(self, settings):
        settings.LISTING_SEARCH_BACKENDS = {
            "default": {"BACKEND": "search.backends.elasticsearch.ElasticsearchListingBackend", "OPTIONS": {"url": "http://127.0.0.1:9"}}
        }
        assert isinstance(get_listing_backend(), ElasticsearchListingBackend)
        settings.LISTING_SEARCH_BACKENDS = {"default": {"BACKEND": "search.backends.database.DatabaseListingBackend"}}
        assert isinstance(get_listing_backend(), DatabaseListingBackend)
