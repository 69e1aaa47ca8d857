"""Searches that always lead somewhere: the exact search, then the corrected one, then the relaxed one,
then suggestions, the same on every backend."""

from dataclasses import dataclass, field, replace

from django.db.models import Count

from .backends import ListingQuery, ListingResults, get_listing_backend
from .models import ListingDocument
from .synonyms import synonym_terms
from .vocabulary import vocabulary_correct, vocabulary_similar
from .words import WORD, fold, query_words

MAX_SUGGESTIONS = 5
POPULAR_CATEGORIES = 6


@dataclass(frozen=True)
class ListingSearch:
    """What a search found and how: ``corrected_query`` when the buyer's words were respelt,
    ``relaxed`` when listings hold only some of the words; when nothing is found, ``suggestions``
    (queries that find listings) and ``popular_categories`` (category codes, most listings first)."""

    query: ListingQuery  # the query that gave the results (corrected, relaxed)
    results: ListingResults
    corrected_query: str = ""
    relaxed: bool = False
    suggestions: list[str] = field(default_factory=list)
    popular_categories: list[str] = field(default_factory=list)
    # The exact query found nothing (it is worth logging for staff).
    missed: bool = False


def query_corrected(text: str, language: str) -> str:
    """The text with each word the listings do not hold replaced by the closest one they hold, as they
    spell it; the text itself if no word changes."""
    keep = synonym_terms()
    changed = False

    def correct(match):
        nonlocal changed
        word = match.group(0)
        corrected = vocabulary_correct(word, language, keep=keep)
        if corrected.lower() != word.lower():
            changed = True
            return corrected
        return word

    corrected = WORD.sub(correct, text)
    return corrected if changed else text


def listing_search(query: ListingQuery, *, backend=None, correct: bool = True) -> ListingSearch:
    """The listings for a query, falling back, when the exact search finds nothing, to the corrected
    text (unless ``correct`` is False), then to listings with any of the words, and finally to
    suggestions."""
    backend = backend or get_listing_backend()
    results = backend.search(query)
    if results.total or not query_words(query.text):
        return ListingSearch(query=query, results=results)
    corrected = query_corrected(query.text, query.language) if correct else query.text
    if corrected != query.text:
        corrected_query = replace(query, text=corrected)
        results = backend.search(corrected_query)
        if results.total:
            return ListingSearch(query=corrected_query, results=results, corrected_query=corrected, missed=True)
    if len(query_words(corrected)) > 1:
        relaxed_query = replace(query, text=corrected, match_any=True)
        results = backend.search(relaxed_query)
        if results.total:
            return ListingSearch(query=relaxed_query, results=results, relaxed=True, missed=True,
                                 corrected_query=corrected if corrected != query.text else "")
    return ListingSearch(
        query=query, results=results, missed=True,
        suggestions=query_suggestions(query.text, query.language),
        popular_categories=popular_categories(query.language),
    )


def query_suggestions(text: str, language: str) -> list[str]:
    """Words of the listings that look like the query's words, for "did you mean"."""
    suggestions = []
    for word in query_words(text, limit=5):
        for similar in vocabulary_similar(word, language):
            if fold(similar) not in {fold(known) for known in suggestions}:
                suggestions.append(similar)
    return suggestions[:MAX_SUGGESTIONS]


def popular_categories(language: str, *, limit: int = POPULAR_CATEGORIES) -> list[str]:
    """The categories with the most listings in the language."""
    rows = (ListingDocument.objects.filter(language=language).values("category").annotate(n=Count("pk"))
            .order_by("-n", "category")[:limit])
    return [row["category"] for row in rows]
