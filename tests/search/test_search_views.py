"""The search page (works without JavaScript: a GET form of checkboxes) and the JSON API."""

import pytest

from catalog.models import Material
from tests.factories.catalog import product_create, seller_pages

pytestmark = pytest.mark.django_db


@pytest.fixture
def listings(tree):
    pages = seller_pages(tree)
    rug = product_create(pages, title="Taznakht rug", price="1200.00")
    rug.materials.add(Material.objects.get_or_create(slug="wool", defaults={"name": "Wool", "name_fr": "Laine"})[0])
    plate = product_create(pages, title="Safi plate", craft="1.03.02", hs_code="6912.00", price="200.00")
    from search.services import listing_index_update

    listing_index_update([page.pk for product in (rug, plate) for page in product.pages.all()])
    return {"rug": rug, "plate": plate}


class TestSearchPage:
    def test_shows_hits_and_facet_checkboxes_with_counts(self, client, listings):
        response = client.get("/en/search/?q=rug")
        assert [card.product_id for card in response.context["hits"]] == [listings["rug"].pk]
        html = response.content.decode()
        assert 'type="checkbox" name="material" value="wool"' in html
        assert "Hand-knotted rug weaving" in html and "(1)" in html

    def test_a_checked_value_filters_and_stays_checked_and_others_keep_their_counts(self, client, listings):
        response = client.get("/en/search/", {"craft": "1.03.02"})
        assert [card.product_id for card in response.context["hits"]] == [listings["plate"].pk]
        crafts = {entry["value"]: entry for group in response.context["facets"] if group["name"] == "craft"
                  for entry in group["values"]}
        assert crafts["1.03.02"]["selected"] and crafts["1.01.01"]["count"] == 1

    def test_facet_names_follow_the_language(self, client, listings):
        html = client.get("/fr/search/").content.decode()
        assert "Laine" in html

    def test_bad_parameters_on_the_page_are_left_out(self, client, listings):
        response = client.get("/en/search/", {"craft": "nonsense", "page": "x", "sort": "cheapest", "price": "abc"})
        assert response.status_code == 200 and response.context["total"] == 2

    def test_pagination_keeps_the_filters(self, client, listings):
        response = client.get("/en/search/", {"region": "MA-08", "page_size": "1"})
        assert response.context["listing_page"].paginator.num_pages == 2
        assert "region=MA-08&amp;page_size=1&amp;page=2" in response.content.decode()


class TestSearchApi:
    def test_returns_total_results_and_facets(self, client, listings):
        data = client.get("/api/v1/search/", {"q": "plate", "language": "fr", "currency": "EUR"}).json()
        assert data["total"] == 1 and data["currency"] == "EUR"
        assert data["results"][0]["product_id"] == listings["plate"].pk
        assert data["results"][0]["price"] == {"amount": "18.43", "currency": "EUR"}
        assert {"category", "craft", "region", "material", "label", "seller_kind", "price", "availability"} <= set(data["facets"])

    @pytest.mark.parametrize("params, message", [
        ({"craft": "9.99"}, "Unknown value"),
        ({"page": "0"}, "page"),
        ({"page": "two"}, "page"),
        ({"sort": "cheapest"}, "Unknown sort"),
        ({"price": "100-50"}, "price range"),
        ({"q": "x" * 201}, "longer than"),
    ])
    def test_invalid_parameters_get_a_400_with_a_message(self, client, listings, params, message):
        response = client.get("/api/v1/search/", params)
        assert response.status_code == 400 and message in response.json()["error"]

    def test_the_page_size_is_capped(self, client, listings):
        assert client.get("/api/v1/search/", {"page_size": "5000"}).json()["page_size"] == 60


class TestSuggestions:
    def test_titles_for_what_is_being_typed_in_the_language(self, client, listings):
        data = client.get("/api/v1/search/suggest/", {"q": "taz", "language": "fr"}).json()
        assert data == {"suggestions": ["Taznakht rug (fr)"]}
        assert client.get("/api/v1/search/suggest/", {"q": "", "language": "en"}).json() == {"suggestions": []}

    def test_an_unknown_language_is_a_400(self, client, listings):
        assert client.get("/api/v1/search/suggest/", {"q": "taz", "language": "xx"}).status_code == 400

    def test_the_header_box_offers_them(self, client, listings):
        html = client.get("/en/search/").content.decode()
        assert 'list="site-search-suggestions"' in html and "/api/v1/search/suggest/?language=en" in html


class TestResultsCache:
    def searches_run(self, client, settings, seconds):
        from unittest import mock

        from search import selectors

        settings.SEARCH_RESULTS_CACHE_SECONDS = seconds
        with mock.patch.object(selectors, "get_listing_backend", wraps=selectors.get_listing_backend) as backend:
            for _ in range(2):
                assert client.get("/api/v1/search/", {"q": "rug", "language": "en"}).json()["total"] == 1
        return backend.call_count

    def test_identical_searches_share_one_result(self, client, settings, listings):
        assert self.searches_run(client, settings, 300) == 1

    def test_with_no_results_cache_every_search_runs(self, client, settings, listings):
        assert self.searches_run(client, settings, 0) == 2
