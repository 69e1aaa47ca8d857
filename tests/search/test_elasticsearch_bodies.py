"""What the Elasticsearch backend sends: the index definition, the search and suggestion bodies, the
documents and the alias swap, checked without any server (the client points at a closed port, so a
request would fail the test). Whether Elasticsearch answers as the database backend does is the
contract suite's job (tests/search/test_listing_contract.py, with ELASTICSEARCH_URL)."""

from datetime import UTC, datetime
from decimal import Decimal
from unittest import mock

import pytest
from elasticsearch import helpers
from elasticsearch.dsl.response import Response

from catalog.models import Material
from search.backends.base import FacetCount, ListingQuery, PriceRange
from search.backends.elasticsearch import (
    ElasticsearchListingBackend,
    alias_swap_actions,
    document_body,
    listing_index,
    listing_results,
    unexpected_bulk_errors,
)
from search.facets import FACETS, MULTI_FIELDS, SINGLE_FIELDS, facet_values
from search.models import ListingDocument, SynonymSet
from search.services import listing_index_update
from tests.factories.catalog import product_create, seller_pages

pytestmark = pytest.mark.django_db

LANGUAGE_STEMMERS = {"en": "english", "fr": "light_french", "ar": "arabic"}
FIELD_OF = {**SINGLE_FIELDS, **MULTI_FIELDS}
CHEAP = PriceRange("0-50", Decimal("0"), Decimal("542.50"))
DEAR = PriceRange("50-", Decimal("542.50"), None)


def backend() -> ElasticsearchListingBackend:
    return ElasticsearchListingBackend(url="http://127.0.0.1:9", index="souk-listings")


def body(**query) -> dict:
    return backend().build_search(ListingQuery(**query)).to_dict()


def index_body() -> dict:
    return listing_index("souk-listings-20260101000000000000").to_dict()


def facet_of(clause: dict) -> str:
    """The facet a filter clause narrows: a terms query on its field, or the price ranges."""
    if "terms" in clause:
        (field,) = clause["terms"]
        return next(facet for facet, name in FIELD_OF.items() if name == field)
    assert all("range" in should and "price" in should["range"] for should in clause["bool"]["should"])
    return "price"


def listing_document(**fields) -> ListingDocument:
    values = {
        "page_id": 41, "product_id": 7, "seller_id": 3, "language": "en", "title": "Blue zellige tile (en)",
        "body": "Zellige tilework Fez-Meknes", "category": "1.06", "craft": "1.06.01", "region": "MA-03",
        "seller_kind": "artisan", "materials": "|clay|", "labels": "|LNA|TZN|", "price": Decimal("300.00"),
        "availability": ListingDocument.Availability.SOLD_OUT,
        "published_at": datetime(2026, 3, 1, 9, 30, tzinfo=UTC),
    }
    return ListingDocument(**{**values, **fields})


class TestIndexDefinition:
    def test_each_language_is_analysed_by_its_own_stemmer_and_its_fields_use_it(self):
        definition = index_body()
        analysis, properties = definition["settings"]["analysis"], definition["mappings"]["properties"]
        for language, stemmer in LANGUAGE_STEMMERS.items():
            for name in (f"souk_{language}", f"souk_{language}_search"):
                stemmers = [analysis["filter"][item] for item in analysis["analyzer"][name]["filter"]
                            if analysis["filter"].get(item, {}).get("type") == "stemmer"]
                assert {"type": "stemmer", "language": stemmer} in stemmers
            for field in (f"title_{language}", f"body_{language}", f"text_{language}"):
                assert properties[field]["type"] == "text"
                assert properties[field]["analyzer"] == f"souk_{language}"
                assert properties[field]["search_analyzer"] == f"souk_{language}_search"
            # Title and body together: every word of a query may be in one or the other.
            assert properties[f"title_{language}"]["copy_to"] == properties[f"body_{language}"]["copy_to"] == f"text_{language}"

    def test_the_index_holds_no_synonyms_of_its_own_they_are_staffs_rows_expanded_in_the_query(self):
        analysis = index_body()["settings"]["analysis"]
        assert not any(item.get("type", "").startswith("synonym") for item in analysis.get("filter", {}).values())
        for language in LANGUAGE_STEMMERS:
            assert analysis["analyzer"][f"souk_{language}_search"]["filter"] == analysis["analyzer"][f"souk_{language}"]["filter"]

    def test_every_facet_but_price_has_a_keyword_field(self):
        properties = index_body()["mappings"]["properties"]
        for facet in FACETS:
            if facet != "price":
                assert properties[FIELD_OF[facet]] == {"type": "keyword"}, facet
        assert properties["language"] == {"type": "keyword"}

    def test_price_date_and_boosts_have_their_types(self):
        properties = index_body()["mappings"]["properties"]
        assert properties["price"] == {"type": "scaled_float", "scaling_factor": 100}
        assert properties["published_at"]["type"] == "date"
        assert properties["in_stock"]["type"] == properties["labelled"]["type"] == "boolean"
        assert properties["page_id"]["type"] == "integer"

    def test_titles_can_be_searched_as_they_are_typed(self):
        definition = index_body()
        title = definition["mappings"]["properties"]["title"]
        assert title["type"] == "search_as_you_type"
        assert title["analyzer"] in definition["settings"]["analysis"]["analyzer"]

    def test_unmapped_fields_are_refused_and_one_shard_keeps_counts_exact(self):
        definition = index_body()
        assert definition["mappings"]["dynamic"] == "strict"
        assert definition["settings"]["number_of_shards"] == 1


class TestDocumentBody:
    def test_a_listed_page_fills_only_its_languages_text_fields(self, tree):
        rug = product_create(seller_pages(tree), title="Taznakht rug", price="1200.00", stock=3)
        rug.materials.add(Material.objects.get_or_create(slug="wool", defaults={"name": "Wool"})[0])
        listing_index_update(rug.pages.values_list("pk", flat=True))
        page = rug.pages.get(locale__language_code="fr")

        entry = document_body(ListingDocument.objects.get(page=page))

        assert entry["page_id"] == page.pk and entry["product_id"] == rug.pk and entry["language"] == "fr"
        assert entry["title"] == entry["title_fr"] == "Taznakht rug (fr)"
        assert "Laine" in entry["body_fr"]  # the material named in French
        assert not {"title_en", "body_en", "title_ar", "body_ar"} & set(entry)
        assert (entry["category"], entry["craft"], entry["materials"], entry["labels"]) == ("1.01", "1.01.01", ["wool"], [])
        assert (entry["price"], entry["availability"], entry["in_stock"], entry["labelled"]) == ("1200.00", "in_stock", True, False)

    def test_multi_valued_fields_become_lists_and_flags_follow_them(self):
        entry = document_body(listing_document())
        assert entry["materials"] == ["clay"] and entry["labels"] == ["LNA", "TZN"]
        assert entry["labelled"] is True and entry["in_stock"] is False
        assert entry["published_at"] == "2026-03-01T09:30:00+00:00"
        assert entry["price"] == "300.00"

    @pytest.mark.parametrize("language", ["en", "fr", "ar", "de"])
    def test_every_field_of_a_body_is_mapped(self, language):
        properties = index_body()["mappings"]["properties"]
        assert set(document_body(listing_document(language=language))) <= set(properties)

    def test_a_language_without_its_own_analysis_is_indexed_folded(self):
        entry = document_body(listing_document(language="de"))
        assert entry["title_other"] == "Blue zellige tile (en)"


class TestSearchBody:
    def test_text_is_matched_fuzzily_on_the_languages_fields_with_every_word_required(self):
        search = body(text="Taznakht  bleu!", language="ar")
        assert search["query"]["bool"]["filter"] == [{"term": {"language": "ar"}}]
        (scored,) = search["query"]["bool"]["must"]
        match = scored["function_score"]["query"]["multi_match"]
        assert match["query"] == "taznakht bleu"
        assert match["fields"] == ["title_ar^3", "body_ar", "text_ar"]
        assert (match["fuzziness"], match["operator"]) == ("AUTO", "and")

    def test_each_word_or_phrase_of_a_synonym_set_may_match_in_any_language(self):
        SynonymSet.objects.all().delete()
        SynonymSet.objects.create(terms="argan oil, huile d'argan, زيت أركان")
        SynonymSet.objects.create(terms="rug, tapis, زربية")
        scored = body(text="Huile d’argan bleue", language="fr")["query"]["bool"]["must"][0]["function_score"]["query"]
        argan, blue = scored["bool"]["must"]
        assert [clause["multi_match"]["query"] for clause in argan["bool"]["should"]] == [
            "huile argan", "argan oil", "زيت أركان"]
        assert argan["bool"]["minimum_should_match"] == 1
        assert all(clause["multi_match"]["operator"] == "and" and clause["multi_match"]["fuzziness"] == "AUTO"
                   for clause in argan["bool"]["should"])
        assert blue["multi_match"]["query"] == "bleue"

    def test_the_relaxed_search_asks_for_any_one_of_the_words(self):
        SynonymSet.objects.all().delete()
        SynonymSet.objects.create(terms="rug, tapis, زربية")
        scored = body(text="tapis berbère", language="fr", match_any=True)["query"]["bool"]["must"][0]
        relaxed = scored["function_score"]["query"]["bool"]
        assert relaxed["minimum_should_match"] == 1 and "must" not in relaxed
        rug, berber, rug_covered, berber_covered = relaxed["should"]
        assert [clause["multi_match"]["query"] for clause in rug["bool"]["should"]] == ["tapis", "rug", "زربية"]
        assert berber["multi_match"]["query"] == "berbère"
        # Each word held adds a constant above any text score: listings with more of the words first.
        assert rug_covered == {"constant_score": {"filter": rug, "boost": 1000}}
        assert berber_covered == {"constant_score": {"filter": berber, "boost": 1000}}

    def test_without_text_everything_matches_lifted_in_stock_and_labelled(self):
        scored = body()["query"]["bool"]["must"][0]["function_score"]
        assert scored["query"] == {"match_all": {}}
        assert (scored["score_mode"], scored["boost_mode"]) == ("sum", "multiply")
        assert scored["functions"] == [
            {"weight": 1},
            {"filter": {"term": {"in_stock": True}}, "weight": 0.25},
            {"filter": {"term": {"labelled": True}}, "weight": 0.5},
        ]

    def test_chosen_values_filter_the_hits_after_counting(self):
        search = body(filters={"region": ("MA-08",), "material": ("wool", "cotton"), "craft": ()}, price_ranges=(CHEAP, DEAR))
        clauses = search["post_filter"]["bool"]["filter"]
        assert {facet_of(clause) for clause in clauses} == {"region", "material", "price"}
        assert {"terms": {"materials": ["wool", "cotton"]}} in clauses
        prices = next(clause for clause in clauses if facet_of(clause) == "price")["bool"]
        assert prices["minimum_should_match"] == 1
        assert prices["should"] == [{"range": {"price": {"gte": "0", "lt": "542.50"}}},
                                    {"range": {"price": {"gte": "542.50"}}}]
        assert "post_filter" not in body()

    def test_each_facets_counts_see_every_choice_but_its_own(self):
        chosen = {"region": ("MA-08",), "material": ("wool",), "availability": ("in_stock",)}
        aggregations = body(filters=chosen, price_ranges=(CHEAP,), facet_price_ranges=(CHEAP, DEAR))["aggs"]
        assert set(aggregations) == set(FACETS) - {"label"}  # no label scheme exists: nothing to count
        for facet, aggregation in aggregations.items():
            narrowing = aggregation["filter"]
            applied = {facet_of(clause) for clause in narrowing["bool"]["filter"]}
            assert applied == {"region", "material", "availability", "price"} - {facet}, facet

    def test_a_facet_without_choices_elsewhere_counts_everything(self):
        aggregations = body(filters={"region": ("MA-08",)})["aggs"]
        assert aggregations["region"]["filter"] == {"match_all": {}}
        assert "price" not in aggregations  # no ranges asked for

    def test_every_known_value_of_a_facet_is_counted(self):
        aggregations = body()["aggs"]
        values = facet_values()
        for facet in set(FACETS) - {"price", "label"}:
            terms = aggregations[facet]["aggs"]["counts"]["terms"]
            assert terms["field"] == FIELD_OF[facet]
            assert terms["include"] == list(dict.fromkeys(values[facet]))
            assert terms["size"] == len(terms["include"])

    def test_price_ranges_are_counted_under_their_keys(self):
        ranges = body(facet_price_ranges=(CHEAP, DEAR))["aggs"]["price"]["aggs"]["ranges"]["filters"]["filters"]
        assert ranges == {"0-50": {"range": {"price": {"gte": "0", "lt": "542.50"}}},
                          "50-": {"range": {"price": {"gte": "542.50"}}}}

    @pytest.mark.parametrize("sort, clauses", [
        ("relevance", ["_score", {"published_at": {"order": "desc"}}, {"page_id": {"order": "desc"}}]),
        ("price_asc", [{"price": {"order": "asc"}}, {"page_id": {"order": "desc"}}]),
        ("price_desc", [{"price": {"order": "desc"}}, {"page_id": {"order": "desc"}}]),
        ("newest", [{"published_at": {"order": "desc"}}, {"page_id": {"order": "desc"}}]),
        ("cheapest", ["_score", {"published_at": {"order": "desc"}}, {"page_id": {"order": "desc"}}]),
    ])
    def test_sorts(self, sort, clauses):
        assert body(sort=sort)["sort"] == clauses

    def test_pages_are_sliced_counted_in_full_and_sources_left_out(self):
        search = body(page=3, page_size=20)
        assert (search["from"], search["size"], search["_source"], search["track_total_hits"]) == (40, 20, False, True)

    def test_pages_stop_at_the_engines_result_window(self):
        search = body(page=1000, page_size=24)
        assert search["from"] + search["size"] <= 10_000


class TestResults:
    """A response as Elasticsearch shapes it, read back into ListingResults."""

    def test_hits_total_and_facets_with_empty_values_left_out_unless_chosen(self):
        query = ListingQuery(filters={"seller_kind": ("artisan",)}, price_ranges=(DEAR,), facet_price_ranges=(CHEAP, DEAR))
        search = backend().build_search(query)
        raw = {
            "hits": {"total": {"value": 2, "relation": "eq"}, "hits": [{"_id": "12", "_score": None}, {"_id": "9", "_score": None}]},
            "aggregations": {
                "craft": {"doc_count": 4, "counts": {"buckets": [{"key": "1.03.01", "doc_count": 1},
                                                                  {"key": "1.01.01", "doc_count": 3}]}},
                "seller_kind": {"doc_count": 3, "counts": {"buckets": [{"key": "cooperative", "doc_count": 3}]}},
                "price": {"doc_count": 2, "ranges": {"buckets": {"0-50": {"doc_count": 0}, "50-": {"doc_count": 2}}}},
            },
        }

        results = listing_results(query, Response(search, raw))

        assert results.page_ids == [12, 9] and results.total == 2
        crafts = {count.value: count for count in results.facets["craft"]}
        assert crafts["1.01.01"] == FacetCount("1.01.01", 3) and crafts["1.03.01"] == FacetCount("1.03.01", 1)
        assert set(results.facets["seller_kind"]) == {FacetCount("artisan", 0, selected=True), FacetCount("cooperative", 3)}
        assert results.facets["price"] == [FacetCount("50-", 2, selected=True)]
        assert results.facets["region"] == [] and set(results.facets) == set(FACETS)


class TestSuggestBody:
    def test_titles_are_matched_as_typed_in_the_language(self):
        search = backend().build_suggest("Taz  ", "fr", size=5).to_dict()
        assert search["query"]["bool"]["filter"] == [{"term": {"language": "fr"}}]
        match = search["query"]["bool"]["must"][0]["function_score"]["query"]["multi_match"]
        assert match["type"] == "bool_prefix" and match["query"] == "taz"
        assert match["fields"] == ["title", "title._2gram", "title._3gram"]
        assert search["_source"] == ["title"] and search["size"] == 15

    def test_nothing_typed_suggests_nothing_without_asking_the_engine(self):
        assert backend().build_suggest(" ,; ", "en") is None
        assert backend().suggest("", "en") == []


class TestIndexMaintenance:
    def test_the_alias_moves_to_the_new_index_in_one_call(self):
        actions = alias_swap_actions("souk-listings", "souk-listings-2", ["souk-listings-1b", "souk-listings-1a"])
        assert actions == [
            {"remove": {"index": "souk-listings-1a", "alias": "souk-listings"}},
            {"remove": {"index": "souk-listings-1b", "alias": "souk-listings"}},
            {"add": {"index": "souk-listings-2", "alias": "souk-listings", "is_write_index": True}},
        ]

    def test_the_first_index_only_gets_the_alias(self):
        assert alias_swap_actions("souk-listings", "souk-listings-1", []) == [
            {"add": {"index": "souk-listings-1", "alias": "souk-listings", "is_write_index": True}}]

    def test_deleting_what_the_index_does_not_hold_is_no_error(self):
        errors = [
            {"delete": {"_id": "4", "status": 404, "result": "not_found"}},
            {"delete": {"_id": "5", "status": 503}},
            {"index": {"_id": "6", "status": 400, "error": {"type": "strict_dynamic_mapping_exception"}}},
        ]
        assert unexpected_bulk_errors(errors) == errors[1:]

    def test_an_update_indexes_listed_pages_and_deletes_the_others(self, tree):
        rug = product_create(seller_pages(tree), title="Taznakht rug")
        english, french = (rug.pages.get(locale__language_code=language).pk for language in ("en", "fr"))
        gone = french + 1000
        sent = {}

        def bulk(client, actions, **options):
            sent["actions"], sent["options"] = list(actions), options
            return len(sent["actions"]), []

        engine = backend()
        with mock.patch.object(engine, "index_ensure") as ensure, mock.patch.object(helpers, "bulk", side_effect=bulk):
            engine.index_update([french, gone, english, french])

        ensure.assert_called_once()
        indexed = {action["_id"]: action["_source"] for action in sent["actions"] if "_source" in action}
        assert indexed == {page: document_body(ListingDocument.objects.get(page_id=page)) for page in (english, french)}
        assert [action for action in sent["actions"] if "_source" not in action] == [{"_op_type": "delete", "_id": gone}]
        assert sent["options"] == {"index": "souk-listings", "raise_on_error": False, "refresh": "wait_for", "require_alias": True}

    def test_an_update_that_fails_to_index_raises(self):
        engine = backend()
        failure = {"index": {"_id": "41", "status": 400}}
        with mock.patch.object(engine, "index_ensure"), \
                mock.patch.object(helpers, "bulk", return_value=(0, [failure])), \
                pytest.raises(helpers.BulkIndexError):
            engine.index_update([41])

    def test_a_rebuild_loads_a_new_index_then_swaps_the_alias_and_drops_the_old(self, tree):
        pages = list(product_create(seller_pages(tree)).pages.order_by("pk").values_list("pk", flat=True))
        engine = backend()
        engine.client = mock.MagicMock()
        engine.client.indices.get_alias.return_value = {"souk-listings-1": {"aliases": {"souk-listings": {}}}}
        loaded, done = [], []

        def bulk(client, actions, **options):
            loaded.append((options["index"], [action["_id"] for action in actions]))
            return len(loaded[-1][1]), []

        with mock.patch("search.backends.elasticsearch.BATCH_SIZE", 2), mock.patch.object(helpers, "bulk", side_effect=bulk):
            assert engine.index_rebuild(progress=done.append) == 3

        created = engine.client.indices.create.call_args.kwargs
        name = created["index"]
        assert name.startswith("souk-listings-") and name != "souk-listings-1"
        assert created["body"]["settings"]["refresh_interval"] == "-1"
        assert created["body"]["mappings"]["dynamic"] == "strict"
        assert loaded == [(name, pages[:2]), (name, pages[2:])] and done == [2, 1]
        engine.client.indices.put_settings.assert_called_once_with(index=name, settings={"index": {"refresh_interval": None}})
        engine.client.indices.update_aliases.assert_called_once_with(
            actions=alias_swap_actions("souk-listings", name, ["souk-listings-1"]))
        engine.client.indices.delete.assert_called_once_with(index=["souk-listings-1"], ignore_unavailable=True)

    def test_a_failed_rebuild_deletes_its_half_loaded_index_and_keeps_the_alias(self, tree):
        product_create(seller_pages(tree))
        engine = backend()
        engine.client = mock.MagicMock()
        with mock.patch.object(helpers, "bulk", side_effect=helpers.BulkIndexError("1 document(s) failed to index.", [])), \
                pytest.raises(helpers.BulkIndexError):
            engine.index_rebuild()
        name = engine.client.indices.create.call_args.kwargs["index"]
        engine.client.indices.update_aliases.assert_not_called()
        engine.client.indices.delete.assert_called_once_with(index=name, ignore_unavailable=True)

