"""The embedded default: searches the listing documents in the database the site runs on.

PostgreSQL: full text with each language's own configuration (stemming, stop words), trigram
similarity on titles for misspelt words, ranked with a boost for products in stock and labelled.
SQLite: FTS5 with prefix matching, ranked by BM25 with the same boost. Facet counts come from one
scan with one conditional count per facet value.
"""

from functools import reduce
from operator import add, and_, or_

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField, TrigramWordSimilarity
from django.db import connection
from django.db.models import Case, Count, F, FloatField, Q, Value, When
from django.db.models.expressions import RawSQL

from ..facets import FACETS, MULTI_FIELDS, SINGLE_FIELDS, facet_values
from ..models import ListingDocument
from ..synonyms import expanded, query_words
from ..text_indexes import FALLBACK_CONFIG, FTS_TABLE, TABLE, TEXT_SEARCH_CONFIGS, VECTOR_COLUMN
from .base import FacetCount, ListingQuery, ListingResults, ListingSearchBackend

# The raw SQL below holds only constant names and configurations from a fixed list; the buyer's
# words always travel as query parameters.

# How much being in stock and being labelled lift a product in relevance order.
BOOST = Value(1.0) + Case(When(availability=ListingDocument.Availability.IN_STOCK, then=Value(0.25)),
                          default=Value(0.0)) + Case(When(~Q(labels=""), then=Value(0.5)), default=Value(0.0))


def _value_q(facet: str, value: str) -> Q:
    if facet in SINGLE_FIELDS:
        return Q(**{SINGLE_FIELDS[facet]: value})
    return Q(**{f"{MULTI_FIELDS[facet]}__contains": f"|{value}|"})


def _price_q(price_range) -> Q:
    q = Q(price__gte=price_range.low)
    return q & Q(price__lt=price_range.high) if price_range.high is not None else q


def _any(qs: list[Q]) -> Q:
    return reduce(or_, qs)


class DatabaseListingBackend(ListingSearchBackend):
    name = "database"

    @property
    def supports_fuzzy(self) -> bool:
        return connection.vendor == "postgresql"

    def search(self, query: ListingQuery) -> ListingResults:
        documents = ListingDocument.objects.filter(language=query.language)
        documents, score, coverage = self._text_matched(documents, query)

        chosen = {facet: _any([_value_q(facet, value) for value in values])
                  for facet, values in query.filters.items() if values and facet != "price"}
        if query.price_ranges:
            chosen["price"] = _any([_price_q(price_range) for price_range in query.price_ranges])

        def all_but(facet=None) -> Q | None:
            parts = [q for name, q in chosen.items() if name != facet]
            return reduce(and_, parts) if parts else None

        aggregates, keys = {}, {}

        def count(alias_key, q):
            alias = f"n{len(aggregates)}"
            keys[alias] = alias_key
            aggregates[alias] = Count("pk", filter=q) if q is not None else Count("pk")

        count(("", "total"), all_but())
        values = facet_values()
        for facet in FACETS:
            others = all_but(facet)
            if facet == "price":
                for price_range in query.facet_price_ranges:
                    count((facet, price_range.key), _price_q(price_range) & others if others else _price_q(price_range))
                continue
            for value in values[facet]:
                count((facet, value), _value_q(facet, value) & others if others else _value_q(facet, value))
        counted = documents.aggregate(**aggregates)

        facets = {facet: [] for facet in FACETS}
        total = 0
        for alias, (facet, value) in keys.items():
            if facet == "":
                total = counted[alias]
                continue
            selected = value in query.filters.get(facet, ()) or (
                facet == "price" and value in {price_range.key for price_range in query.price_ranges})
            if counted[alias] or selected:
                facets[facet].append(FacetCount(value=value, count=counted[alias], selected=selected))

        matching = documents.filter(all_but()) if chosen else documents
        start = (query.page - 1) * query.page_size
        page_ids = list(
            matching.order_by(*self._ordering(query, score, coverage)).values_list("page_id", flat=True)[start : start + query.page_size]
        )
        return ListingResults(page_ids=page_ids, total=total, facets=facets)

    def _text_matched(self, documents, query: ListingQuery):
        """The documents matching the text, a relevance score (higher is better) and, for the relaxed
        search, how many of the query's words (or phrases) each holds: listings holding more of them
        come first, whatever one rare word weighs."""
        words = query_words(query.text)
        if not words:
            return documents, None, None
        slots = expanded(words)
        combine = or_ if query.match_any else and_

        def covered(slot_conditions):
            if not query.match_any:
                return None
            return reduce(add, [Case(When(condition, then=Value(1)), default=Value(0)) for condition in slot_conditions])

        vendor = connection.vendor
        if vendor == "postgresql":
            config = TEXT_SEARCH_CONFIGS.get(query.language, FALLBACK_CONFIG)
            vector = RawSQL(VECTOR_COLUMN, [], output_field=SearchVectorField())  # noqa: S611
            documents = documents.alias(vector=vector)
            slot_queries, slot_filters = [], []
            for slot in slots:
                # Each word or phrase (or one of its synonyms) is in the text, or a title word is spelt close to it.
                slot_query = reduce(or_, [SearchQuery(" ".join(words_), config=config, search_type="plain")
                                          for words_ in slot])
                slot_queries.append(slot_query)
                slot_filters.append(Q(vector=slot_query) | Q(title__trigram_word_similar=" ".join(slot[0])))
            documents = documents.filter(reduce(combine, slot_filters))
            phrase = " ".join(words)
            score = (SearchRank(F("vector"), reduce(combine, slot_queries)) + TrigramWordSimilarity(phrase, "title")) * BOOST
            return documents, score, covered(slot_filters)
        if vendor == "sqlite":
            slot_matches = ["(" + " OR ".join("(" + " AND ".join(f'"{word}"*' for word in words_) + ")" for words_ in slot) + ")"
                            for slot in slots]
            match = f" {'OR' if query.match_any else 'AND'} ".join(slot_matches)
            documents = documents.filter(page_id__in=self._fts_matching(match))
            bm25 = RawSQL(  # noqa: S611
                f"(SELECT -bm25({FTS_TABLE}, 3.0, 1.0) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "  # noqa: S608
                f"AND rowid = {TABLE}.page_id)", [match], output_field=FloatField(),
            )
            return documents, bm25 * BOOST, covered([Q(page_id__in=self._fts_matching(slot)) for slot in slot_matches])
        # Any other database: every word (or a synonym) in the title or the text.
        slot_filters = [
            _any([reduce(and_, [Q(title__icontains=word) | Q(body__icontains=word) for word in words_]) for words_ in slot])
            for slot in slots
        ]
        return documents.filter(reduce(combine, slot_filters)), None, covered(slot_filters)

    @staticmethod
    def _fts_matching(match: str) -> RawSQL:
        return RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [match])  # noqa: S608, S611

    def _ordering(self, query: ListingQuery, score, coverage=None):
        if query.sort == "price_asc":
            return ["price", "-page_id"]
        if query.sort == "price_desc":
            return ["-price", "-page_id"]
        if query.sort == "newest":
            return ["-published_at", "-page_id"]
        first = [coverage.desc()] if coverage is not None else []
        if score is None:
            return [*first, BOOST.desc(), "-published_at", "-page_id"]
        return [*first, score.desc(), "-published_at", "-page_id"]

    def suggest(self, text: str, language: str, size: int = 8) -> list[str]:
        words = query_words(text, limit=5)
        if not words:
            return []
        documents = ListingDocument.objects.filter(language=language)
        for word in words:  # a trigram index serves these on PostgreSQL
            documents = documents.filter(title__icontains=word)
        titles = documents.order_by(BOOST.desc(), "-published_at").values_list("title", flat=True)[: size * 3]
        return list(dict.fromkeys(titles))[:size]

    def ping(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
