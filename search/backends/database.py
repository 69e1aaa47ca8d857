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
from django.db.models import BooleanField, Case, CharField, ExpressionWrapper, F, FloatField, Q, Value, When
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


def _like_escaped(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


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

        counted, page_ids = self._counted_with_page(documents, query, chosen, self._ordering(query, score, coverage))
        facets = {facet: [] for facet in FACETS}
        total = counted.get(("", ""), 0)
        values = facet_values()
        selected_prices = {price_range.key for price_range in query.price_ranges}
        for facet in FACETS:
            known = [price_range.key for price_range in query.facet_price_ranges] if facet == "price" else values[facet]
            chosen_values = selected_prices if facet == "price" else set(query.filters.get(facet, ()))
            for value in known:
                count, selected = counted.get((facet, value), 0), value in chosen_values
                if count or selected:
                    facets[facet].append(FacetCount(value=value, count=count, selected=selected))
        return ListingResults(page_ids=page_ids, total=total, facets=facets)

    def _counted_with_page(self, documents, query: ListingQuery, chosen: dict[str, Q], ordering):
        """The total and every facet value's count, keyed (facet, value) (the total as ("", "")), and the
        page ids of the requested page, in one query that matches the text once.

        A CTE holds, per document matching the text, its facet values, whether it passes each chosen
        facet's filter and, if it passes them all, its sort keys (the relevance is worked out for those
        documents only). One GROUP BY per facet then counts the documents passing every other facet's
        filter (a pass per facet, where a conditional count per value cost a test per value and
        document), and the page is the first of those passing them all."""
        flags = {f"chosen_{facet}": ExpressionWrapper(q, output_field=BooleanField()) for facet, q in chosen.items()}
        band = Case(*[When(_price_q(price_range), then=Value(price_range.key)) for price_range in query.facet_price_ranges],
                    default=Value(""), output_field=CharField())
        columns = {f"facet_{facet}": F(field) for facet, field in {**SINGLE_FIELDS, **MULTI_FIELDS}.items()}
        passing_all = reduce(and_, chosen.values()) if chosen else None
        sort_keys, order_by = {}, []
        for position, key in enumerate(ordering):
            if isinstance(key, str):
                expression, descending = F(key.lstrip("-")), key.startswith("-")
            else:
                expression, descending = key.expression, key.descending
                if passing_all is not None:
                    expression = Case(When(passing_all, then=expression), default=None, output_field=FloatField())
            sort_keys[f"sort_{position}"] = expression
            order_by.append(f"sort_{position} {'DESC' if descending else 'ASC'}")
        matched = documents.annotate(**flags, **columns, facet_price=band, **sort_keys).values(
            "page_id", *flags, *columns, "facet_price", *sort_keys)
        matched_sql, params = matched.query.sql_with_params()

        def passing(facet=None) -> str:
            conditions = [f"chosen_{name}" for name in chosen if name != facet]
            return f"WHERE {' AND '.join(conditions)}" if conditions else ""

        order = ", ".join(order_by)
        # The page: the kind "#page", the id as text (the union's column) and its position.
        selects = [f"SELECT * FROM (SELECT '#page', CAST(page_id AS TEXT), ROW_NUMBER() OVER (ORDER BY {order}) "  # noqa: S608
                   f"FROM matched {passing()} ORDER BY {order} LIMIT %s OFFSET %s) AS page",
                   f"SELECT '', '', COUNT(*) FROM matched {passing()}"]  # noqa: S608
        extra_params = [query.page_size, (query.page - 1) * query.page_size]
        for facet in FACETS:
            if facet in MULTI_FIELDS:
                continue
            selects.append(f"SELECT '{facet}', facet_{facet}, COUNT(*) FROM matched {passing(facet)} GROUP BY facet_{facet}")  # noqa: S608
        for facet in MULTI_FIELDS:
            if connection.vendor == "postgresql":
                # A document holds several values ("|a|b|"): one row per value it holds.
                selects.append(
                    f"SELECT '{facet}', held.value, COUNT(*) FROM matched CROSS JOIN "  # noqa: S608
                    f"unnest(string_to_array(facet_{facet}, '|')) AS held(value) "
                    f"{passing(facet) or 'WHERE TRUE'} AND held.value <> '' GROUP BY held.value"
                )
                continue
            for value in facet_values()[facet]:
                conditions = [*(f"chosen_{name}" for name in chosen if name != facet), f"facet_{facet} LIKE %s ESCAPE '\\'"]
                selects.append(f"SELECT '{facet}', %s, COUNT(*) FROM matched WHERE {' AND '.join(conditions)}")  # noqa: S608
                extra_params += [value, f"%|{_like_escaped(value)}|%"]
        sql = f"WITH matched AS ({matched_sql}) " + " UNION ALL ".join(selects)
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, *extra_params])
            rows = cursor.fetchall()
        page = sorted((position, int(page_id)) for kind, page_id, position in rows if kind == "#page")
        counted = {(facet, value): count for facet, value, count in rows if facet != "#page"}
        return counted, [page_id for _position, page_id in page]

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
            slot_queries = [reduce(or_, [SearchQuery(" ".join(words_), config=config, search_type="plain") for words_ in slot])
                            for slot in slots]
            # Each word or phrase (or one of its synonyms) is in the text; or, when the text of no listing
            # holds it (misspelt, or spelt otherwise than the listings), a title word is spelt close to it.
            # Matching titles by trigrams only when needed keeps the common search to one index.
            found = self._found_exactly(query.language, vector, slot_queries)
            slot_filters = [Q(vector=slot_query) if exact else Q(vector=slot_query) | Q(title__trigram_word_similar=" ".join(slot[0]))
                            for slot, slot_query, exact in zip(slots, slot_queries, found, strict=True)]
            documents = documents.filter(reduce(combine, slot_filters))
            score = SearchRank(F("vector"), reduce(combine, slot_queries))
            if not all(found):
                score = score + TrigramWordSimilarity(" ".join(words), "title")
            score = score * BOOST
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
    def _found_exactly(language: str, vector, slot_queries) -> list[bool]:
        """For each slot's text query, whether the text of some listing in the language holds it."""
        probes = [ListingDocument.objects.filter(language=language).alias(vector=vector).filter(vector=slot_query)
                  .values("pk")[:1].query.sql_with_params() for slot_query in slot_queries]
        sql = "SELECT " + ", ".join(f"EXISTS({probe_sql})" for probe_sql, _params in probes)
        with connection.cursor() as cursor:
            cursor.execute(sql, [param for _sql, params in probes for param in params])
            return list(cursor.fetchone())

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
