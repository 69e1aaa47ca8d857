"""The listing index: its analysis per language, its mapping, and the body of each document."""

from elasticsearch import dsl

from ...facets import MULTI_FIELDS, SINGLE_FIELDS
from ...models import ListingDocument

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

# The index field of each facet (price aside): the listing document's column of the same name.
FACET_FIELDS = {**SINGLE_FIELDS, **MULTI_FIELDS}



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
