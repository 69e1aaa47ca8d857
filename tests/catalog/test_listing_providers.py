"""A category page gets its listing from the provider search registers at start-up, never by importing
search."""

import pytest

from catalog import listing_providers
from search.listing import category_page_listing
from tests.factories.catalog import product_create, seller_pages

pytestmark = pytest.mark.django_db


@pytest.fixture
def rug(tree):
    return product_create(seller_pages(tree), title="Taznakht rug")


class TestCategoryListingProvider:
    def test_search_registers_the_category_listing_at_start_up(self):
        assert listing_providers._category_listing is category_page_listing

    def test_the_page_shows_what_the_provider_returns(self, client, tree, rug, monkeypatch):
        seen = []

        def provider(request, page):
            seen.append(page.specific)
            return {**listing_providers.EMPTY_LISTING, "total": 7}

        monkeypatch.setattr(listing_providers, "_category_listing", None)
        listing_providers.category_listing_register(provider)
        response = client.get(tree.categories["en"].url)
        assert response.status_code == 200
        assert response.context["total"] == 7 and seen == [tree.categories["en"]]

    def test_without_a_provider_the_page_lists_nothing(self, client, tree, rug, monkeypatch):
        monkeypatch.setattr(listing_providers, "_category_listing", None)
        response = client.get(tree.categories["en"].url)
        assert response.status_code == 200
        assert response.context["total"] == 0 and list(response.context["hits"]) == []
        assert "Taznakht rug" not in response.content.decode()
