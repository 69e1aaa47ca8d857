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

from ...documents import BATCH_SIZE
from ...models import ListingDocument
from ...synonyms import query_words
from ..base import ListingQuery, ListingResults, ListingSearchBackend
from .index import (
    FACET_FIELDS,
    OTHER,
    _index_action,
    alias_swap_actions,
    document_body,
    listing_index,
    listing_mapping,
    text_suffix,
    unexpected_bulk_errors,
)
from .queries import (
    BOOSTS,
    COVERAGE_WEIGHT,
    MAX_RESULT_WINDOW,
    SORTS,
    _all_of,
    _boosted,
    _text_query,
    _with_facet_aggregations,
    chosen_filters,
    listing_results,
)

__all__ = [
    "BOOSTS",
    "COVERAGE_WEIGHT",
    "FACET_FIELDS",
    "MAX_RESULT_WINDOW",
    "OTHER",
    "SORTS",
    "ElasticsearchListingBackend",
    "alias_swap_actions",
    "chosen_filters",
    "document_body",
    "listing_index",
    "listing_mapping",
    "listing_results",
    "text_suffix",
    "unexpected_bulk_errors",
]


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
