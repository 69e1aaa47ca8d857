"""Words of the trade that buyers spell several ways; either finds the others' products."""

import re
import unicodedata

SYNONYMS = [
    {"zellige", "zellij", "zelij", "zellig"},
    {"babouche", "babouches", "slipper", "slippers", "belgha", "balgha"},
    {"tagine", "tajine", "tajin"},
    {"kilim", "hanbel", "hanbal"},
    {"rug", "carpet", "tapis", "zarbiya"},
    {"pouf", "pouffe", "ottoman"},
    {"caftan", "kaftan", "qaftan"},
    {"djellaba", "jellaba", "djellabah"},
    {"argan", "argane"},
    {"tadelakt", "tadellakt"},
    {"thuya", "thuja"},
    {"henna", "henne", "hanna"},
    {"copper", "cuivre", "nhas"},
    {"brass", "laiton"},
    {"lantern", "lanterne", "fanous"},
]
_GROUP_OF = {word: group for group in SYNONYMS for word in group}
WORD = re.compile(r"\w+", re.UNICODE)


def _folded(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def query_words(text: str, *, limit: int = 10) -> list[str]:
    """The words of a query, lowercased, at most ``limit``."""
    return [word.lower() for word in WORD.findall(text or "")][:limit]


def expanded(words: list[str]) -> list[list[str]]:
    """Each word with its synonyms (the word first): every group must match, any word of a group may."""
    groups = []
    for word in words:
        group = _GROUP_OF.get(_folded(word))
        groups.append([word, *sorted(group - {word, _folded(word)})] if group else [word])
    return groups
