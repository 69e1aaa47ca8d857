"""The searches on the listing index: text, filters, facet aggregations, and their results read back."""

from elasticsearch import dsl

from ...facets import FACETS, facet_values
from ...synonyms import expanded, query_words
from ..base import FacetCount, ListingQuery, ListingResults
from .index import FACET_FIELDS, text_suffix

# Elasticsearch refuses to page past this many hits (index.max_result_window).
MAX_RESULT_WINDOW = 10_000
SORTS = {
    "relevance": ["_score", {"published_at": {"order": "desc"}}, {"page_id": {"order": "desc"}}],
    "price_asc": [{"price": {"order": "asc"}}, {"page_id": {"order": "desc"}}],
    "price_desc": [{"price": {"order": "desc"}}, {"page_id": {"order": "desc"}}],
    "newest": [{"published_at": {"order": "desc"}}, {"page_id": {"order": "desc"}}],
}
# How much being in stock and being labelled lift a product in relevance order (as the database backend).
BOOSTS = {"in_stock": 0.25, "labelled": 0.5}
# In the relaxed search, what each of the query's words (or phrases) a listing holds adds to its score.
COVERAGE_WEIGHT = 1000


def _facet_filter(facet: str, values) -> dsl.Query:
    # One term among several: matches a multi-valued field (materials, labels) holding any of them.
    return dsl.Q("terms", **{FACET_FIELDS[facet]: list(values)})


def _price_filter(price_range) -> dsl.Query:
    bounds = {"gte": str(price_range.low)}
    if price_range.high is not None:
        bounds["lt"] = str(price_range.high)
    return dsl.Q("range", price=bounds)


def _all_of(filters) -> dsl.Query:
    filters = list(filters)
    return dsl.Q("bool", filter=filters) if filters else dsl.Q("match_all")


def chosen_filters(query: ListingQuery) -> dict[str, dsl.Query]:
    """One filter per facet the buyer narrowed (its values are alternatives), price included."""
    chosen = {facet: _facet_filter(facet, values) for facet, values in query.filters.items()
              if values and facet in FACET_FIELDS}
    if query.price_ranges:
        chosen["price"] = dsl.Q("bool", should=[_price_filter(price_range) for price_range in query.price_ranges],
                                minimum_should_match=1)
    return chosen


def _boosted(scored: dsl.Query) -> dsl.Query:
    """The score times 1 + 0.25 in stock + 0.5 labelled (the weight without a filter applies to all)."""
    return dsl.Q("function_score", query=scored, score_mode="sum", boost_mode="multiply", functions=[
        {"weight": 1},
        *({"filter": dsl.Q("term", **{field: True}), "weight": weight} for field, weight in BOOSTS.items()),
    ])


def _text_query(query: ListingQuery) -> dsl.Query:
    words = query_words(query.text)
    if not words:
        return dsl.Q("match_all")
    suffix = text_suffix(query.language)
    fields = [f"title_{suffix}^3", f"body_{suffix}", f"text_{suffix}"]

    def matched(words_) -> dsl.Query:
        # Every word, spelt close enough, in the title, the body or the two together (text_*); a title
        # holding them all counts most.
        return dsl.Q("multi_match", query=" ".join(words_), type="best_fields", operator="and", fuzziness="AUTO",
                     fields=fields, tie_breaker=0.3)

    slots = expanded(words)
    if not query.match_any and all(len(slot) == 1 for slot in slots):
        return matched(words)
    # Each word or phrase, or one of its synonyms (any language): every slot must match, or, relaxed, any.
    slot_queries = [matched(slot[0]) if len(slot) == 1 else
                    dsl.Q("bool", should=[matched(words_) for words_ in slot], minimum_should_match=1)
                    for slot in slots]
    if query.match_any:
        # Listings holding more of the words come first, whatever one rare word weighs: each slot
        # matched adds a constant far above any text score.
        covered = [dsl.Q("constant_score", filter=slot_query, boost=COVERAGE_WEIGHT) for slot_query in slot_queries]
        return dsl.Q("bool", should=[*slot_queries, *covered], minimum_should_match=1)
    return dsl.Q("bool", must=slot_queries)


def _known_values() -> dict[str, list[str]]:
    # Trade codes repeat across countries' nomenclatures (MA and CM both have 1.01): each value once.
    return {facet: list(dict.fromkeys(values)) for facet, values in facet_values().items()}


def _with_facet_aggregations(search: dsl.Search, query: ListingQuery, chosen: dict) -> dsl.Search:
    values = _known_values()
    for facet in FACETS:
        others = _all_of(filter_ for name, filter_ in chosen.items() if name != facet)
        if facet == "price":
            if query.facet_price_ranges:
                search.aggs.bucket(facet, "filter", filter=others).bucket(
                    "ranges", "filters",
                    filters={price_range.key: _price_filter(price_range) for price_range in query.facet_price_ranges},
                )
            continue
        if values[facet]:  # every value the facet can take, and only those, as the database backend counts
            search.aggs.bucket(facet, "filter", filter=others).bucket(
                "counts", "terms", field=FACET_FIELDS[facet], size=len(values[facet]), include=values[facet],
            )
    return search


def listing_results(query: ListingQuery, response) -> ListingResults:
    """The results of a search response (an ``elasticsearch.dsl`` response to ``build_search``)."""
    aggregations = response.aggregations
    values = _known_values()
    price_keys = {price_range.key for price_range in query.price_ranges}
    facets = {facet: [] for facet in FACETS}
    for facet in FACETS:
        if facet not in aggregations:
            continue
        if facet == "price":
            buckets = aggregations[facet].ranges.buckets
            counted = [(price_range.key, buckets[price_range.key].doc_count) for price_range in query.facet_price_ranges]
        else:
            counts = {bucket.key: bucket.doc_count for bucket in aggregations[facet].counts.buckets}
            counted = [(value, counts.get(value, 0)) for value in values[facet]]
        for value, count in counted:
            selected = value in query.filters.get(facet, ()) or (facet == "price" and value in price_keys)
            if count or selected:
                facets[facet].append(FacetCount(value=value, count=count, selected=selected))
    return ListingResults(page_ids=[int(hit.meta.id) for hit in response.hits], total=response.hits.total.value,
                          facets=facets)
