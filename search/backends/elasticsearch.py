"""Searches the listing index on an Elasticsearch 9 cluster, through ``elasticsearch.dsl``.

The index holds one entry per listing document (``search.models.ListingDocument``: one per listed
product page, so per language), built by ``document_body``. Searches reach it through an alias
(``souk-listings``); ``index_rebuild`` loads a new concrete index ``<alias>-<timestamp>`` and moves
the alias to it in one step, so buyers never search a half-built index.

Text is analysed per language (English, French, Arabic each with its stop words and stemmer, other
languages folded only); the trade's synonyms (``search.synonyms``, rows staff edit) are expanded in
the query, and the relaxed search (any word) asks for one of the words' clauses only.
Facets are counted the way the database backend counts them: each facet's counts see every filter
but its own (a ``filter`` aggregation around a ``terms`` one), while the chosen filters narrow the
hits only (``post_filter``).
"""

from django.utils import timezone
from elasticsearch import ApiError, Elasticsearch, NotFoundError, dsl, helpers

from ..documents import BATCH_SIZE
from ..facets import FACETS, MULTI_FIELDS, SINGLE_FIELDS, facet_values
from ..models import ListingDocument
from ..synonyms import expanded, query_words
from .base import FacetCount, ListingQuery, ListingResults, ListingSearchBackend

# The index field of each facet (price aside): the listing document's column of the same name.
FACET_FIELDS = {**SINGLE_FIELDS, **MULTI_FIELDS}
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


# --- the index: analysis and mapping


# Per language, the filters before the stemmer (lowercase, stop words, accents folded) and the stemmer
# after them: the same chain as Elasticsearch's built-in analyzer for the language, with accents folded.
_LANGUAGE_FILTERS = {
    "en": (
        [dsl.token_filter("souk_en_possessive", "stemmer", language="possessive_english"), "lowercase",
         dsl.token_filter("souk_en_stop", "stop", stopwords="_english_"), "asciifolding"],
        [dsl.token_filter("souk_en_stemmer", "stemmer", language="english")],
    ),
    "fr": (
        [dsl.token_filter("souk_fr_elision", "elision", articles_case=True, articles=[
            "l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu", "lorsqu", "puisqu"]),
         "lowercase", dsl.token_filter("souk_fr_stop", "stop", stopwords="_french_"), "asciifolding"],
        [dsl.token_filter("souk_fr_stemmer", "stemmer", language="light_french")],
    ),
    "ar": (
        ["lowercase", "decimal_digit", dsl.token_filter("souk_ar_stop", "stop", stopwords="_arabic_"),
         "arabic_normalization", "asciifolding"],
        [dsl.token_filter("souk_ar_stemmer", "stemmer", language="arabic")],
    ),
}
# Documents in a language without its own analysis (none today) are only lowercased and folded.
OTHER = "other"
_OTHER_FILTERS = (["lowercase", "asciifolding"], [])


def text_suffix(language: str) -> str:
    """The suffix of the text fields a language is indexed in: ``title_en``, ``body_en``, ``text_en``."""
    return language if language in _LANGUAGE_FILTERS else OTHER


def _analyzers(suffix: str):
    """The index-time and the search-time analyzer of a language."""
    before, after = _LANGUAGE_FILTERS.get(suffix, _OTHER_FILTERS)
    return (
        dsl.analyzer(f"souk_{suffix}", tokenizer="standard", filter=[*before, *after]),
        # The synonyms are staff's rows, expanded in the query (``_text_query``) so that an edit applies at once.
        dsl.analyzer(f"souk_{suffix}_search", tokenizer="standard", filter=[*before, *after]),
    )


# Titles as typed in the search box, whatever their language: no stemming, so prefixes stay whole.
_folded = dsl.analyzer("souk_folded", tokenizer="standard", filter=["lowercase", "asciifolding", "arabic_normalization"])


def listing_mapping() -> dsl.Mapping:
    mapping = dsl.Mapping()
    mapping.meta("dynamic", "strict")  # a field document_body forgot to map fails loudly
    for name in ("page_id", "product_id", "seller_id"):
        mapping.field(name, dsl.Integer())
    mapping.field("language", dsl.Keyword())
    mapping.field("title", dsl.SearchAsYouType(analyzer=_folded))
    for suffix in [*_LANGUAGE_FILTERS, OTHER]:
        analyzer, search_analyzer = _analyzers(suffix)
        # text_<language> holds title and body together: every word of a query must be in one or the other.
        for name in ("title", "body"):
            mapping.field(f"{name}_{suffix}", dsl.Text(analyzer=analyzer, search_analyzer=search_analyzer,
                                                       copy_to=f"text_{suffix}"))
        mapping.field(f"text_{suffix}", dsl.Text(analyzer=analyzer, search_analyzer=search_analyzer))
    for field in FACET_FIELDS.values():  # materials and labels hold several values (arrays)
        mapping.field(field, dsl.Keyword())
    mapping.field("price", dsl.ScaledFloat(scaling_factor=100))  # in the base currency, to the cent
    mapping.field("published_at", dsl.Date())
    mapping.field("in_stock", dsl.Boolean())
    mapping.field("labelled", dsl.Boolean())
    return mapping


def listing_index(name: str) -> dsl.Index:
    """The definition of a concrete listing index (``.to_dict()`` is the body that creates it)."""
    index = dsl.Index(name)
    # One shard: a catalogue of this size fits, and terms counts and relevance scores are exact.
    index.settings(number_of_shards=1, auto_expand_replicas="0-1")
    index.mapping(listing_mapping())
    return index


def document_body(document: ListingDocument) -> dict:
    """What the index holds of a listing document; its id is the page id."""
    suffix = text_suffix(document.language)
    labels = document.label_list
    return {
        "page_id": document.page_id,
        "product_id": document.product_id,
        "seller_id": document.seller_id,
        "language": document.language,
        "title": document.title,
        f"title_{suffix}": document.title,
        f"body_{suffix}": document.body,
        "category": document.category,
        "craft": document.craft,
        "region": document.region,
        "seller_kind": document.seller_kind,
        "availability": document.availability,
        "materials": document.material_list,
        "labels": labels,
        "price": str(document.price),  # a decimal string: Elasticsearch reads it exactly, never through a float
        "published_at": document.published_at.isoformat(),
        "in_stock": document.availability == ListingDocument.Availability.IN_STOCK,
        "labelled": bool(labels),
    }


def _index_action(document: ListingDocument) -> dict:
    return {"_id": document.page_id, "_source": document_body(document)}


def alias_swap_actions(alias: str, new_index: str, old_indices) -> list[dict]:
    """The ``update_aliases`` actions that move ``alias`` from ``old_indices`` to ``new_index`` at once."""
    return [
        *({"remove": {"index": old, "alias": alias}} for old in sorted(old_indices)),
        {"add": {"index": new_index, "alias": alias, "is_write_index": True}},
    ]


def unexpected_bulk_errors(errors) -> list[dict]:
    """The failed bulk items that matter: deleting what the index does not hold (404) is not one."""
    return [error for error in errors if error.get("delete", {}).get("status") != 404]


# --- queries


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


class ElasticsearchListingBackend(ListingSearchBackend):
    """Searches the listing index on an Elasticsearch 9 cluster, through ``elasticsearch.dsl``."""

    name = "elasticsearch"
    supports_fuzzy = True

    def __init__(self, *, url: str, index: str = "souk-listings", timeout: float = 5.0):
        self.index = index  # the alias; the concrete indices behind it are named <alias>-<timestamp>
        self.client = Elasticsearch(url, request_timeout=timeout)

    # --- searching

    def build_search(self, query: ListingQuery) -> dsl.Search:
        """The search for a query; building it contacts no server."""
        search = (
            dsl.Search(using=self.client, index=self.index)
            .filter("term", language=query.language)
            .query(_boosted(_text_query(query)))
        )
        chosen = chosen_filters(query)
        if chosen:
            # After the aggregations: each facet's counts leave out its own choice (multi-select facets).
            search = search.post_filter(_all_of(chosen.values()))
        search = _with_facet_aggregations(search, query, chosen)
        start = min((query.page - 1) * query.page_size, MAX_RESULT_WINDOW)
        stop = min(start + query.page_size, MAX_RESULT_WINDOW)
        return (
            search.sort(*SORTS.get(query.sort, SORTS["relevance"]))
            .source(False)
            .extra(track_total_hits=True)[start:stop]
        )

    def search(self, query: ListingQuery) -> ListingResults:
        return listing_results(query, self.build_search(query).execute())

    def build_suggest(self, text: str, language: str, size: int = 8) -> dsl.Search | None:
        """The search for titles the typed text could lead to (the last word a prefix); None for no words."""
        words = query_words(text, limit=5)
        if not words:
            return None
        typed = dsl.Q("multi_match", query=" ".join(words), type="bool_prefix", operator="and",
                      fields=["title", "title._2gram", "title._3gram"])
        return (
            dsl.Search(using=self.client, index=self.index)
            .filter("term", language=language)
            .query(_boosted(typed))
            .sort("_score", {"published_at": {"order": "desc"}})
            .source(["title"])[: size * 3]  # several products may share a title
        )

    def suggest(self, text: str, language: str, size: int = 8) -> list[str]:
        search = self.build_suggest(text, language, size)
        if search is None:
            return []
        return list(dict.fromkeys(hit.title for hit in search.execute()))[:size]

    # --- indexing

    def _new_index_name(self) -> str:
        return f"{self.index}-{timezone.now():%Y%m%d%H%M%S%f}"

    def _aliased_indices(self) -> list[str]:
        try:
            return sorted(self.client.indices.get_alias(name=self.index))
        except NotFoundError:
            return []

    def index_ensure(self) -> None:
        """Create an empty index behind the alias if there is none (a new deployment, a test server)."""
        if self.client.indices.exists_alias(name=self.index):
            return
        index = listing_index(self._new_index_name()).aliases(**{self.index: {"is_write_index": True}})
        try:
            index.create(using=self.client)
        except ApiError:
            # Another worker created it first: the alias can have only one write index.
            if not self.client.indices.exists_alias(name=self.index):
                raise

    def index_update(self, page_ids) -> None:
        """Index the listing documents of these pages and remove the pages that have none; visible to
        searches when this returns."""
        page_ids = sorted(set(page_ids))
        if not page_ids:
            return
        self.index_ensure()

        def actions():
            for start in range(0, len(page_ids), BATCH_SIZE):
                batch = page_ids[start : start + BATCH_SIZE]
                listed = set()
                for document in ListingDocument.objects.filter(page_id__in=batch):
                    listed.add(document.page_id)
                    yield _index_action(document)
                for page_id in batch:
                    if page_id not in listed:
                        yield {"_op_type": "delete", "_id": page_id}

        # require_alias: should the alias vanish, fail rather than let a write create an unmapped index.
        _, errors = helpers.bulk(self.client, actions(), index=self.index, raise_on_error=False,
                                 refresh="wait_for", require_alias=True)
        failures = unexpected_bulk_errors(errors)
        if failures:
            raise helpers.BulkIndexError(f"{len(failures)} listing document(s) failed to index.", failures)

    def index_rebuild(self, progress=None) -> int:
        """Load every listing document into a new index, then move the alias to it and delete the
        indices it leaves. ``progress(n)`` is called after each batch. Returns how many were indexed.

        Updates indexed while it loads go to the old index; a page changed meanwhile after its batch
        was read keeps its older entry until its next update (run it when the catalogue is quiet)."""
        name = self._new_index_name()
        # No refresh while loading; the default comes back before the index is searched.
        listing_index(name).settings(refresh_interval="-1").create(using=self.client)
        indexed = 0
        try:
            last = 0
            while True:
                batch = list(ListingDocument.objects.filter(page_id__gt=last).order_by("page_id")[:BATCH_SIZE])
                if not batch:
                    break
                helpers.bulk(self.client, (_index_action(document) for document in batch), index=name)
                indexed += len(batch)
                last = batch[-1].page_id
                if progress:
                    progress(len(batch))
            self.client.indices.put_settings(index=name, settings={"index": {"refresh_interval": None}})
            self.client.indices.refresh(index=name)
            old = self._aliased_indices()
            self.client.indices.update_aliases(actions=alias_swap_actions(self.index, name, old))
        except BaseException:
            self.client.indices.delete(index=name, ignore_unavailable=True)
            raise
        if old:
            self.client.indices.delete(index=old, ignore_unavailable=True)
        return indexed

    def ping(self) -> None:
        if not self.client.ping():
            raise ConnectionError(f"Elasticsearch does not answer at {self.client.transport.node_pool.all()}")
