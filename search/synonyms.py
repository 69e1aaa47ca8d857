"""Words of the trade that buyers spell several ways or in another language; either finds the others'
listings. The sets are rows staff edit (``SynonymSet``); a set may hold phrases ("argan oil, huile
d'argan, زيت أركان"), matched in the query as whole phrases, longest first."""

from catalog.cache import cached

from .models import SynonymSet
from .words import fold, query_words

__all__ = ["expanded", "query_words", "synonym_groups", "synonym_terms"]

# A slot is one word of the query (or one phrase of a synonym set) and its alternatives, each a
# sequence of words that must all match.
Alternative = tuple[str, ...]
MAX_PHRASE_WORDS = 5


def synonym_groups() -> list[list[Alternative]]:
    """Every synonym set as its terms, each a tuple of lowercased words as staff spelt them; cached per
    catalogue generation."""

    def compute():
        groups = []
        for terms in SynonymSet.objects.values_list("terms", flat=True):
            alternatives = [tuple(query_words(term, limit=MAX_PHRASE_WORDS)) for term in SynonymSet(terms=terms).term_list]
            alternatives = list(dict.fromkeys(alternative for alternative in alternatives if alternative))
            if len(alternatives) > 1:
                groups.append(alternatives)
        return groups

    return cached("search:synonyms", compute)


def _folded(words) -> Alternative:
    return tuple(fold(word) for word in words)


def _lookup() -> dict[Alternative, list[Alternative]]:
    """Each term (folded) to the terms of its sets, as spelt (the engines match accents and Arabic
    letter forms their own way, so the synonyms travel as written)."""
    lookup = {}
    for group in synonym_groups():
        for term in group:
            others = lookup.setdefault(_folded(term), [])
            others += [other for other in group if other not in others]
    return lookup


def synonym_terms() -> frozenset[str]:
    """Every one-word synonym, folded: such a word is not a misspelling even if no listing holds it."""
    return frozenset(key[0] for key in _lookup() if len(key) == 1)


def expanded(words: list[str]) -> list[list[Alternative]]:
    """The query's slots: each word, or each phrase found in a synonym set, with its synonyms (the typed
    words first). Every slot must match (or, relaxed, any one); any alternative of a slot may."""
    lookup = _lookup()
    folded = [fold(word) for word in words]
    slots, position = [], 0
    while position < len(words):
        for length in range(min(MAX_PHRASE_WORDS, len(words) - position), 0, -1):
            key = tuple(folded[position : position + length])
            if key in lookup:
                typed = tuple(words[position : position + length])
                slots.append([typed, *[term for term in lookup[key] if term != typed]])
                position += length
                break
        else:
            slots.append([(words[position],)])
            position += 1
    return slots
