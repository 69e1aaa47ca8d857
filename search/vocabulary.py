"""The words of the listed documents, per language, and the correction of query words to the nearest of them.

The vocabulary (``VocabularyTerm``: folded word, its first-seen spelling, how many documents hold it)
is kept in step with the listing documents: each sync applies the difference between the documents
it replaces and those it writes; ``vocabulary_rebuild`` (``manage.py search_vocabulary``) recounts it
all. Any backend uses it: a query word that is not a known word is rewritten to the closest one by
edit distance (optimal string alignment, so swapped letters cost one), looked up in memory
(rapidfuzz) among the words of nearly the same length that share its first or its last letter, so
that it stays fast with 100k+ words.
"""

import time
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from django.core.cache import cache
from django.db import transaction
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from .models import ListingDocument, VocabularyTerm
from .words import WORD, fold

VERSION_KEY = "search:vocabulary-version"
MIN_LENGTH, MAX_LENGTH = 2, 40
QUERY_CHUNK = 500
# How far a word may be from a known word to be corrected, by its length (as Elasticsearch's AUTO).
SHORT_WORD, LONG_WORD = 3, 6


def _max_edits(length: int) -> int:
    return 0 if length < SHORT_WORD else 1 if length < LONG_WORD else 2


@lru_cache(maxsize=200_000)
def _term(word: str) -> tuple[str, str] | None:
    """(folded, lowercased) for a word worth keeping; the listings repeat their words, so memoised."""
    if MIN_LENGTH <= len(word) <= MAX_LENGTH and not word.isdigit():
        return fold(word), word.lower()
    return None


def document_terms(document) -> dict[str, str]:
    """The folded words of a document's title and body, each with its spelling in the text."""
    terms = {}
    for word in set(WORD.findall(f"{document.title} {document.body}")):
        term = _term(word)
        if term is not None and (term[0] not in terms or term[1] < terms[term[0]]):
            terms[term[0]] = term[1]
    return terms


def vocabulary_update(*, removed, added) -> None:
    """Count the documents ``removed`` out of the vocabulary and the documents ``added`` into it.

    Concurrent updates may miscount a frequency by one (it only breaks ties between corrections);
    ``vocabulary_rebuild`` recounts exactly."""
    delta, forms = Counter(), {}
    for document in removed:
        for term in document_terms(document):
            delta[(document.language, term)] -= 1
    for document in added:
        for term, form in document_terms(document).items():
            delta[(document.language, term)] += 1
            forms.setdefault((document.language, term), form)
    delta = {key: change for key, change in delta.items() if change}
    if not delta:
        return
    by_language = {}
    for language, term in delta:
        by_language.setdefault(language, []).append(term)
    existing = {}  # (language, term) -> (pk, form, documents)
    for language, terms in by_language.items():
        for start in range(0, len(terms), QUERY_CHUNK):
            for pk, term, form, documents in VocabularyTerm.objects.filter(
                    language=language, term__in=terms[start : start + QUERY_CHUNK]).values_list(
                    "pk", "term", "form", "documents"):
                existing[(language, term)] = (pk, form, documents)
    written, emptied, added_terms = [], [], False
    for key, change in delta.items():
        pk, form, documents = existing.get(key, (None, forms.get(key), 0))
        if documents + change > 0:
            written.append(VocabularyTerm(language=key[0], term=key[1], form=form, documents=documents + change))
            added_terms = added_terms or pk is None
        elif pk is not None:
            emptied.append(pk)
    with transaction.atomic():
        # One upsert for new and changed terms (an UPDATE per row would be slow in large batches).
        VocabularyTerm.objects.bulk_create(written, batch_size=QUERY_CHUNK, update_conflicts=True,
                                           unique_fields=["language", "term"], update_fields=["documents"])
        for start in range(0, len(emptied), QUERY_CHUNK):
            VocabularyTerm.objects.filter(pk__in=emptied[start : start + QUERY_CHUNK]).delete()
    if added_terms or emptied:
        _vocabulary_changed()


def vocabulary_rebuild(*, batch_size: int = 2000) -> int:
    """Recount the whole vocabulary from the listing documents; returns how many terms it holds."""
    counts, forms = Counter(), {}
    last = 0
    while True:
        batch = list(ListingDocument.objects.filter(page_id__gt=last).order_by("page_id")
                     .only("page_id", "language", "title", "body")[:batch_size])
        if not batch:
            break
        for document in batch:
            for term, form in document_terms(document).items():
                counts[(document.language, term)] += 1
                forms.setdefault((document.language, term), form)
        last = batch[-1].page_id
    with transaction.atomic():
        VocabularyTerm.objects.all().delete()
        VocabularyTerm.objects.bulk_create(
            (VocabularyTerm(language=language, term=term, form=forms[(language, term)], documents=documents)
             for (language, term), documents in counts.items()),
            batch_size=QUERY_CHUNK,
        )
    _vocabulary_changed()
    return len(counts)


def _vocabulary_changed() -> None:
    # Now for this process, and again at the commit: another process may have loaded the terms between.
    cache.set(VERSION_KEY, time.time_ns(), timeout=None)
    transaction.on_commit(lambda: cache.set(VERSION_KEY, time.time_ns(), timeout=None))


def _vocabulary_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(VERSION_KEY)
    return version or 0  # 0 while the cache is down: then nothing is held


@dataclass
class _LanguageVocabulary:
    terms: dict[str, tuple[str, int]]  # folded term -> (spelling, documents)
    by_length: dict[int, list[str]]
    # Terms by (length, first letter) and by (length, last letter): a misspelling rarely changes both
    # ends, so a word is compared with these only (1/20 of the vocabulary, not all of it).
    by_first: dict[tuple[int, str], list[str]]
    by_last: dict[tuple[int, str], list[str]]


_loaded: dict[str, tuple[int, _LanguageVocabulary]] = {}


def _vocabulary(language: str) -> _LanguageVocabulary:
    """The language's vocabulary, held in this process until a term is added or removed anywhere."""
    version = _vocabulary_version()
    held = _loaded.get(language)
    if held is None or held[0] != version or not version:
        vocabulary = _LanguageVocabulary(terms={}, by_length={}, by_first={}, by_last={})
        for term, form, documents in VocabularyTerm.objects.filter(language=language).values_list(
                "term", "form", "documents").iterator(chunk_size=5000):
            vocabulary.terms[term] = (form, documents)
            vocabulary.by_length.setdefault(len(term), []).append(term)
            vocabulary.by_first.setdefault((len(term), term[0]), []).append(term)
            vocabulary.by_last.setdefault((len(term), term[-1]), []).append(term)
        held = (version, vocabulary)
        if version:
            _loaded[language] = held
    return held[1]


def vocabulary_knows(word: str, language: str) -> bool:
    return fold(word) in _vocabulary(language).terms


def vocabulary_correct(word: str, language: str, *, keep=frozenset()) -> str:
    """The known word closest to ``word`` as the listings spell it (the word itself when it is known
    and spelt so, or when nothing is close enough). Words in ``keep`` (folded) are left alone."""
    folded = fold(word)
    vocabulary = _vocabulary(language)
    if folded in vocabulary.terms:
        return vocabulary.terms[folded][0]
    if folded in keep or folded.isdigit():
        return word
    edits = _max_edits(len(folded))
    if not edits:
        return word
    candidates = []
    for length in range(len(folded) - edits, len(folded) + edits + 1):
        candidates += vocabulary.by_first.get((length, folded[0]), ())
        candidates += vocabulary.by_last.get((length, folded[-1]), ())
    found = process.extract(folded, candidates, scorer=OSA.distance, score_cutoff=edits, limit=20)
    if not found:
        return word
    best = min(found, key=lambda match: (match[1], -vocabulary.terms[match[0]][1], match[0]))
    return vocabulary.terms[best[0]][0]


def vocabulary_similar(word: str, language: str, *, limit: int = 3, cutoff: float = 60.0) -> list[str]:
    """Known words that look like ``word`` (for "did you mean"), most alike and most frequent first."""
    vocabulary = _vocabulary(language)
    folded = fold(word)
    if len(folded) < SHORT_WORD or not vocabulary.terms:
        return []
    spread = len(folded) // 3 + 1  # words much longer or shorter are not alike
    candidates = [term for length in range(len(folded) - spread, len(folded) + spread + 1)
                  for term in vocabulary.by_length.get(length, ())]
    found = process.extract(folded, candidates, scorer=fuzz.ratio, score_cutoff=cutoff, limit=limit * 4)
    found = [match for match in found if match[0] != folded]
    found.sort(key=lambda match: (-round(match[1]), -vocabulary.terms[match[0]][1], match[0]))
    return [vocabulary.terms[term][0] for term, _score, _index in found[:limit]]
