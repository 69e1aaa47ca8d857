"""One behavioural contract for every listing search backend: the database (SQLite here, PostgreSQL
in CI's second stage) always; Elasticsearch whenever ELASTICSEARCH_URL names a server."""

import os
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from catalog.models import Material
from labels.models import LabelApplication, LabelCertificate
from search.backends import ListingQuery
from search.backends.database import DatabaseListingBackend
from search.facets import price_range
from search.models import SynonymSet
from search.selectors import listing_search
from search.services import listing_index_update
from search.words import query_words
from sellers.models import Seller
from sellers.services import seller_suspend
from tests.factories.catalog import product_create, seller_pages
from tests.factories.labels import scheme_create
from tests.factories.sellers import SellerFactory, UserFactory, region

pytestmark = pytest.mark.django_db


def elasticsearch_backend():
    from search.backends.elasticsearch import ElasticsearchListingBackend

    backend = ElasticsearchListingBackend(url=os.environ["ELASTICSEARCH_URL"], index="souk-listings-contract")
    backend.index_rebuild()  # an empty index per test (no documents yet): the previous test's entries are gone
    return backend


BACKENDS = [
    pytest.param(DatabaseListingBackend, id="database"),
    pytest.param(elasticsearch_backend, id="elasticsearch", marks=pytest.mark.skipif(
        not os.environ.get("ELASTICSEARCH_URL"), reason="needs ELASTICSEARCH_URL: no Elasticsearch server here")),
]


@pytest.fixture(params=BACKENDS)
def backend(request):
    return request.param()


@pytest.fixture
def synonyms(db):
    """The synonym sets these tests rely on, whatever the sample rows say."""
    SynonymSet.objects.all().delete()
    for terms in ("tagine, tajine, tajin", "zellige, zellij, zelij", "rug, carpet, tapis, زربية",
                  "berber, berbère, amazigh, أمازيغي", "blue zellige, zellige bleu"):
        SynonymSet.objects.create(terms=terms)


@pytest.fixture
def shop(tree, backend, synonyms):
    cooperative = SellerFactory(kind=Seller.Kind.COOPERATIVE, region=region("MA-08"))
    artisan = SellerFactory(kind=Seller.Kind.ARTISAN, region=region("MA-03"))
    coop_pages, artisan_pages = seller_pages(tree, cooperative), seller_pages(tree, artisan)
    products = {
        "rug": product_create(coop_pages, title="Taznakht rug", price="1200.00", stock=3),
        "kilim": product_create(coop_pages, title="Boujad kilim", craft="1.01.02", price="800.00", stock=0),
        "tile": product_create(artisan_pages, title="Blue zellige tile", craft="1.06.01", price="300.00", stock=10),
        "tagine": product_create(artisan_pages, title="Green tagine", craft="1.03.01", price="450.00", stock=0,
                                 made_to_order=True, lead_time_days=20),
    }
    wool = Material.objects.get_or_create(slug="wool", defaults={"name": "Wool"})[0]
    products["rug"].materials.add(wool)
    products["kilim"].materials.add(wool)
    scheme = scheme_create()
    application = LabelApplication.objects.create(scheme=scheme, seller=cooperative, applicant=UserFactory())
    certificate = LabelCertificate.objects.create(
        number="MA-LNA-2026-000001", application=application, scheme=scheme, seller=cooperative,
        valid_from=timezone.localdate(), valid_until=timezone.localdate() + timedelta(days=365),
    )
    certificate.products.add(products["rug"])
    reindex(products.values(), backend)
    return {**products, "certificate": certificate, "cooperative": cooperative, "artisan": artisan}


def reindex(products, backend):
    page_ids = [page.pk for product in products for page in product.pages.all()]
    listing_index_update(page_ids)
    backend.index_update(page_ids)


def product_ids(backend, **query):
    from catalog.models import ProductPage

    results = backend.search(ListingQuery(**query))
    by_page = dict(ProductPage.objects.filter(pk__in=results.page_ids).values_list("pk", "product_id"))
    return [by_page[pk] for pk in results.page_ids]


def page_products(found):
    from catalog.models import ProductPage

    by_page = dict(ProductPage.objects.filter(pk__in=found.results.page_ids).values_list("pk", "product_id"))
    return [by_page[pk] for pk in found.results.page_ids]


def counts(results, facet):
    return {value.value: value.count for value in results.facets[facet]}


class TestText:
    def test_finds_pages_in_the_querys_language_only(self, backend, shop):
        from catalog.models import ProductPage

        results = backend.search(ListingQuery(text="taznakht", language="fr"))
        assert results.total == 1
        assert set(ProductPage.objects.filter(pk__in=results.page_ids).values_list("locale__language_code", flat=True)) == {"fr"}

    def test_every_word_must_match(self, backend, shop):
        assert product_ids(backend, text="zellige rug") == []
        assert product_ids(backend, text="blue zellige") == [shop["tile"].pk]

    def test_words_of_the_trade_find_their_synonyms(self, backend, shop):
        assert product_ids(backend, text="tajine") == [shop["tagine"].pk]
        assert product_ids(backend, text="zellij") == [shop["tile"].pk]
        assert set(product_ids(backend, text="carpet")) == {shop["rug"].pk}

    def test_the_text_covers_materials_and_the_makers_name(self, backend, shop):
        assert set(product_ids(backend, text="wool")) == {shop["rug"].pk, shop["kilim"].pk}

    def test_misspelt_words_still_find_the_product(self, backend, shop):
        # Every backend: the engine's own fuzziness, or else the vocabulary's correction.
        found = listing_search(ListingQuery(text="taznakth"), backend=backend)
        assert page_products(found) == [shop["rug"].pk]
        found = listing_search(ListingQuery(text="Zelige", language="fr"), backend=backend)
        assert page_products(found) == [shop["tile"].pk]
        if not backend.supports_fuzzy:
            assert found.corrected_query == "zellige"
            assert found.query.text == "zellige" and not found.relaxed
        # Two edits, too far for trigram similarity: the vocabulary corrects it wherever the engine does not.
        found = listing_search(ListingQuery(text="zeliqe tile"), backend=backend)
        assert page_products(found) == [shop["tile"].pk] and not found.relaxed

    def test_accents_and_case_do_not_matter(self, backend, shop):
        assert product_ids(backend, text="ZÉLLIGE TÂZNAKHT") == []  # two products: every word must match
        assert page_products(listing_search(ListingQuery(text="TÂZNAKHT"), backend=backend)) == [shop["rug"].pk]

    def test_synonyms_cross_languages_and_phrases(self, backend, shop):
        assert product_ids(backend, text="زربية", language="ar") == [shop["rug"].pk]
        assert product_ids(backend, text="tapis", language="fr") == [shop["rug"].pk]
        assert product_ids(backend, text="zellige bleu") == [shop["tile"].pk]  # the phrase finds "blue zellige"

    def test_when_no_listing_has_all_the_words_those_with_some_of_them_are_shown_as_such(self, backend, shop):
        found = listing_search(ListingQuery(text="tapis berbère", language="fr"), backend=backend)
        assert found.relaxed and found.missed and found.corrected_query == ""
        assert page_products(found) == [shop["rug"].pk]
        found = listing_search(ListingQuery(text="zellige rug"), backend=backend)
        assert found.relaxed and set(page_products(found)) == {shop["tile"].pk, shop["rug"].pk}

    def test_relaxed_listings_holding_more_of_the_words_come_first(self, backend, shop):
        # "blue" is rare and in a title (the tile, in stock); "wool" and the cooperative's region are in
        # the rug's and the kilim's text: by text score alone the tile would lead.
        from sellers.models import Region

        region_word = query_words(Region.objects.get(code="MA-08").name)[-1]
        found = listing_search(ListingQuery(text=f"blue wool {region_word} qwxzv"), backend=backend)
        assert found.relaxed
        assert page_products(found) == [shop["rug"].pk, shop["kilim"].pk, shop["tile"].pk]

    def test_a_misspelt_word_and_a_word_no_listing_holds_are_corrected_then_relaxed(self, backend, shop):
        found = listing_search(ListingQuery(text="zelige qwxzv"), backend=backend)
        assert found.relaxed and page_products(found) == [shop["tile"].pk]
        if not backend.supports_fuzzy:
            assert found.corrected_query == "zellige qwxzv"

    def test_the_words_as_typed_when_asked(self, backend, shop):
        found = listing_search(ListingQuery(text="zelige"), backend=backend, correct=False)
        assert found.corrected_query == ""
        if not backend.supports_fuzzy:
            assert found.results.total == 0

    def test_when_nothing_is_found_popular_categories_are_offered(self, backend, shop):
        found = listing_search(ListingQuery(text="qwxzv"), backend=backend)
        assert found.results.total == 0 and found.missed and not found.relaxed
        assert found.popular_categories[0] == "1.01" and set(found.popular_categories) == {"1.01", "1.03", "1.06"}

    def test_a_query_that_finds_listings_is_not_a_miss(self, backend, shop):
        found = listing_search(ListingQuery(text="zellige"), backend=backend)
        assert not found.missed and not found.relaxed and found.corrected_query == ""

    def test_an_empty_query_lists_everything_paged(self, backend, shop):
        results = backend.search(ListingQuery(page=2, page_size=3))
        assert results.total == 4 and len(results.page_ids) == 1


class TestFiltersAndFacets:
    def test_values_of_one_facet_are_alternatives_and_facets_combine(self, backend, shop):
        both = product_ids(backend, filters={"craft": ("1.01.01", "1.01.02")})
        assert set(both) == {shop["rug"].pk, shop["kilim"].pk}
        assert product_ids(backend, filters={"craft": ("1.01.01", "1.01.02"), "availability": ("in_stock",)}) == [shop["rug"].pk]

    def test_choosing_a_value_does_not_zero_the_other_values_of_its_facet(self, backend, shop):
        results = backend.search(ListingQuery(filters={"region": ("MA-08",)}))
        assert results.total == 2
        assert counts(results, "region") == {"MA-08": 2, "MA-03": 2}
        assert counts(results, "seller_kind") == {"cooperative": 2}  # other facets follow the filter
        assert [value.selected for value in results.facets["region"] if value.value == "MA-08"] == [True]

    def test_every_facet_is_counted(self, backend, shop):
        results = backend.search(ListingQuery())
        assert counts(results, "category") == {"1.01": 2, "1.03": 1, "1.06": 1}
        assert counts(results, "material") == {"wool": 2}
        assert counts(results, "label") == {"LNA": 1}
        assert counts(results, "availability") == {"in_stock": 2, "sold_out": 1, "made_to_order": 1}
        assert counts(results, "seller_kind") == {"cooperative": 2, "artisan": 2}

    def test_price_ranges_in_the_buyers_currency(self, backend, shop, settings):
        # 10.85 MAD per euro (rates.json): 50-100 EUR is 542.50-1085 MAD, which holds the kilim and the tagine.
        euros = price_range("50-100", "EUR")
        assert (euros.low, euros.high) == (Decimal("542.50"), Decimal("1085.00"))
        assert set(product_ids(backend, price_ranges=(euros,))) == {shop["kilim"].pk}
        results = backend.search(ListingQuery(price_ranges=(euros,), facet_price_ranges=(euros, price_range("100-", "EUR"))))
        assert counts(results, "price") == {"50-100": 1, "100-": 1}

    def test_sorts(self, backend, shop):
        assert product_ids(backend, sort="price_asc") == [shop[key].pk for key in ("tile", "tagine", "kilim", "rug")]
        assert product_ids(backend, sort="price_desc") == [shop[key].pk for key in ("rug", "kilim", "tagine", "tile")]
        assert product_ids(backend, sort="newest")[0] == shop["tagine"].pk

    def test_relevance_lifts_labelled_and_in_stock_products(self, backend, shop):
        assert product_ids(backend)[0] == shop["rug"].pk  # labelled and in stock
        assert product_ids(backend, text="wool") == [shop["rug"].pk, shop["kilim"].pk]


class TestFreshness:
    def test_suspending_a_seller_takes_its_products_out_after_the_task(self, backend, shop, django_capture_on_commit_callbacks):
        staff = UserFactory(is_superuser=True)
        with django_capture_on_commit_callbacks(execute=True):
            seller_suspend(seller=shop["cooperative"], by=staff, reason="Fraud under investigation.")
        backend.index_update([page.pk for product in (shop["rug"], shop["kilim"]) for page in product.pages.all()])
        results = backend.search(ListingQuery())
        assert results.total == 2 and counts(results, "seller_kind") == {"artisan": 2}
        assert product_ids(backend, text="taznakht") == []

    def test_revoking_a_label_changes_results_and_counts_after_the_task(self, backend, shop, django_capture_on_commit_callbacks):
        assert product_ids(backend, filters={"label": ("LNA",)}) == [shop["rug"].pk]
        with django_capture_on_commit_callbacks(execute=True):
            certificate = shop["certificate"]
            certificate.status = LabelCertificate.Status.REVOKED
            certificate.save()
        backend.index_update([page.pk for page in shop["rug"].pages.all()])
        results = backend.search(ListingQuery(filters={"label": ("LNA",)}))
        assert results.total == 0 and counts(backend.search(ListingQuery()), "label") == {}

    def test_a_stock_change_moves_the_product_between_availabilities(self, backend, shop, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            shop["kilim"].stock = 4
            shop["kilim"].save()
        backend.index_update([page.pk for page in shop["kilim"].pages.all()])
        assert counts(backend.search(ListingQuery()), "availability")["in_stock"] == 3


class TestTitlesSpeltClose:
    """PostgreSQL's trigram match on titles rescues a word no listing's text holds; a word some listing
    holds finds those listings only (and the search reads one index)."""

    @pytest.fixture
    def boujat(self, shop):
        weaver = SellerFactory(kind=Seller.Kind.ARTISAN, region=region("MA-03"))
        basket = product_create(seller_pages(shop["tree"], weaver), title="Boujat basket", craft="1.01.01",
                                price="90.00", stock=4)
        reindex([basket], shop["backend"])
        return basket

    @pytest.fixture
    def shop(self, tree, backend, synonyms, shop):
        if backend.name != "database" or not backend.supports_fuzzy:
            pytest.skip("trigram similarity on titles is the PostgreSQL database backend's")
        return {**shop, "tree": tree, "backend": backend}

    def test_a_word_some_listing_holds_finds_those_listings_only(self, backend, shop, boujat):
        assert product_ids(backend, text="boujad") == [shop["kilim"].pk]
        assert product_ids(backend, text="boujat") == [boujat.pk]

    def test_a_word_no_listing_holds_finds_the_titles_spelt_close(self, backend, shop, boujat):
        assert set(product_ids(backend, text="boujaj")) == {shop["kilim"].pk, boujat.pk}
        assert product_ids(backend, text="boujaj basket") == [boujat.pk]
