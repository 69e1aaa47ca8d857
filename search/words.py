"""Words as search compares them: case, accents and Arabic letter forms folded, French elisions dropped.

The vocabulary, the synonyms and the correction of misspelt words all compare folded words, so that
"berbere" is "berbère", "ZELLIGE" is "zellige" and "زربيه" is "زربية".
"""

import re
import unicodedata

WORD = re.compile(r"\w+", re.UNICODE)
# French elided articles and pronouns before an apostrophe ("d'argan", "l’huile"): not words of their own.
ELISION = re.compile(r"\b(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu)['’](?=\w)", re.IGNORECASE | re.UNICODE)
# Arabic letters written several ways: alef wasla, alef maqsura, taa marbuta (hamza forms of alef, waw
# and yeh decompose into the bare letter plus a combining hamza, which folding removes), and tatweel.
ARABIC_FORMS = str.maketrans({"ٱ": "ا", "ى": "ي", "ة": "ه", "ـ": None})


def fold(text: str) -> str:
    """Lowercased, without accents or Arabic vowel marks, Arabic letter forms unified."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).translate(ARABIC_FORMS)


def query_words(text: str, *, limit: int = 10) -> list[str]:
    """The words of a query, lowercased (accents kept), elisions dropped, at most ``limit``."""
    return [word.lower() for word in WORD.findall(ELISION.sub(" ", text or ""))][:limit]


def folded_words(text: str) -> list[str]:
    """Every word of a text, folded: what the vocabulary counts."""
    return [fold(word) for word in WORD.findall(ELISION.sub(" ", text or ""))]
