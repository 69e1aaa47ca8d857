"""Searches that always lead somewhere, as the buyer sees them (the page's notices, the API's fields)
and as staff count them (the searches that found nothing)."""

import shutil
import subprocess
from unittest import mock

import pytest
from django.db import OperationalError
from django.utils import translation
from django.utils.html import escape

from search.models import SearchMiss, SynonymSet
from tests.factories.catalog import product_create, seller_pages

pytestmark = pytest.mark.django_db


@pytest.fixture
def listings(tree):
    SynonymSet.objects.all().delete()
    SynonymSet.objects.create(terms="berber, berbère, amazigh")
    SynonymSet.objects.create(terms="rug, tapis, زربية")
    pages = seller_pages(tree)
    return {"tile": product_create(pages, title="Zellige tile panel", craft="1.06.01"),
            "rug": product_create(pages, title="Taznakht rug")}


def product_ids(response):
    return [card.product_id for card in response.context["hits"]]


class TestSearchPageNotices:
    def test_a_corrected_query_says_so_and_links_to_the_words_as_typed(self, client, listings):
        # Two edits from "zellige", too far for PostgreSQL's trigrams: the vocabulary corrects it on any database.
        response = client.get("/en/search/", {"q": "zeliqe"})
        assert product_ids(response) == [listings["tile"].pk]
        html = response.content.decode()
        assert "Showing results for «<strong><bdi>zellige</bdi></strong>»" in html
        assert 'href="?q=zeliqe&amp;exact=1"' in html and "Search instead for «<bdi>zeliqe</bdi>»" in html

    def test_the_words_as_typed_are_not_corrected(self, client, listings):
        response = client.get("/en/search/", {"q": "zeliqe", "exact": "1"})
        assert product_ids(response) == [] and "Showing results for" not in response.content.decode()

    def test_a_relaxed_match_is_shown_as_such(self, client, listings):
        response = client.get("/fr/search/", {"q": "tapis berbère volant"})
        assert product_ids(response) == [listings["rug"].pk]
        with translation.override("fr"):
            notice = translation.gettext("No listing has all your words; showing listings with some of them.")
        assert notice.startswith("Aucune") and escape(notice) in response.content.decode()  # said in French

    def test_nothing_found_offers_did_you_mean_and_popular_categories_never_a_blank_page(self, client, listings):
        html = client.get("/en/search/", {"q": "tazznakkhtt"}).content.decode()
        assert "Did you mean:" in html and '<a href="?q=taznakht"><bdi>taznakht</bdi></a>' in html
        assert 'href="?category=1.01"' in html and 'href="?category=1.06"' in html

    def test_a_search_that_finds_listings_has_no_notice(self, client, listings):
        assert 'class="query-notices' not in client.get("/en/search/", {"q": "zellige"}).content.decode()

    def test_the_notices_are_one_include_of_the_search_page(self):
        from pathlib import Path

        import search

        template = (Path(search.__file__).parent / "templates/search/search_page.html").read_text()
        assert template.count('{% include "search/includes/query_notices.html" %}') == 1


class TestSearchApiFallbacks:
    def test_the_api_says_how_results_were_found(self, client, listings):
        data = client.get("/api/v1/search/", {"q": "zeliqe", "language": "fr"}).json()
        assert data["total"] == 1 and data["results"][0]["product_id"] == listings["tile"].pk
        assert (data["query"], data["corrected_query"], data["relaxed"]) == ("zeliqe", "zellige", False)
        data = client.get("/api/v1/search/", {"q": "زربية أمازيغية", "language": "ar"}).json()
        assert data["relaxed"] is True and data["results"][0]["product_id"] == listings["rug"].pk
        assert {"total", "page", "page_size", "currency", "results", "facets"} <= set(data)

    def test_nothing_found_gives_suggestions_and_categories_in_the_language(self, client, listings):
        data = client.get("/api/v1/search/", {"q": "tazznakkhtt", "language": "fr"}).json()
        assert data["total"] == 0 and data["corrected_query"] is None and data["relaxed"] is False
        assert data["suggestions"] == ["taznakht"]
        assert [category["value"] for category in data["popular_categories"]] == ["1.01", "1.06"]
        assert all(category["name"] for category in data["popular_categories"])

    def test_found_at_once_the_fields_are_empty(self, client, listings):
        data = client.get("/api/v1/search/", {"q": "zellige"}).json()
        assert (data["corrected_query"], data["relaxed"], data["suggestions"], data["popular_categories"]) == (
            None, False, [], [])


class TestSearchMissLog:
    def test_queries_that_found_nothing_are_counted_normalised_with_their_outcome(self, client, listings):
        client.get("/en/search/", {"q": "  Zeliqe "})
        client.get("/api/v1/search/", {"q": "zeliqe", "language": "en"})
        client.get("/fr/search/", {"q": "tapis berbère"})
        client.get("/en/search/", {"q": "qwxzv"})
        rows = {(miss.language, miss.query): (miss.count, miss.outcome) for miss in SearchMiss.objects.all()}
        assert rows == {("en", "zeliqe"): (2, "corrected"), ("fr", "tapis berbère"): (1, "relaxed"),
                        ("en", "qwxzv"): (1, "nothing")}

    def test_found_filtered_and_later_pages_are_not_counted(self, client, listings):
        client.get("/en/search/", {"q": "zellige"})
        client.get("/en/search/", {"q": "qwxzv", "craft": "1.06.01"})
        client.get("/en/search/", {"q": "qwxzv", "page": "2"})
        client.get("/en/search/")
        assert not SearchMiss.objects.exists()

    def test_the_log_holds_no_buyer_data(self):
        fields = {field.name for field in SearchMiss._meta.get_fields()}
        assert fields == {"id", "query", "language", "count", "outcome", "first_seen", "last_seen"}

    def test_a_failed_write_never_fails_the_search(self, client, listings):
        with mock.patch("search.services.SearchMiss.objects.filter", side_effect=OperationalError("read-only")):
            response = client.get("/en/search/", {"q": "zeliqe"})
            assert response.status_code == 200 and product_ids(response) == [listings["tile"].pk]
            assert client.get("/api/v1/search/", {"q": "qwxzv"}).status_code == 200
        assert not SearchMiss.objects.exists()


class TestTranslatedStrings:
    def test_the_sort_names_and_notices_are_extracted_for_translators(self):
        """makemessages reads gettext_lazy(…) and _(…) but not other aliases: the sort names were never
        extracted, so the French and Arabic pages showed them in English."""
        if not shutil.which("xgettext"):
            pytest.skip("needs xgettext (gettext)")
        import search.listing

        keywords = ["--keyword=gettext_noop", "--keyword=gettext_lazy", "--keyword=ngettext_lazy:1,2",
                    "--keyword=pgettext:1c,2", "--keyword=pgettext_lazy:1c,2"]
        extracted = subprocess.run(
            ["xgettext", "--language=Python", "--from-code=UTF-8", *keywords, "--output=-", search.listing.__file__],
            capture_output=True, text=True, check=True,
        ).stdout
        for msgid in ("Relevance", "Price: low to high", "Price: high to low", "Newest"):
            assert f'msgid "{msgid}"' in extracted, msgid
