"""The index the Elasticsearch backend creates, checked against the Elasticsearch 9 API specification
without a server: every analyzer, tokenizer, token filter and char filter it defines or names, their
parameters, and every field type of the mapping with its parameters must exist in the specification.
The extract (``elasticsearch_spec/analysis.json``) is generated from the specification's TypeScript
by ``elasticsearch_spec/extract.py``; the stemmer's languages, a plain string there, come from the
reference (``stemmer_languages.json``). A misspelt filter or parameter fails here, not on the first
deployment."""

import json
from pathlib import Path

import pytest

from search.backends.elasticsearch import listing_index

SPEC = json.loads((Path(__file__).parent / "elasticsearch_spec" / "analysis.json").read_text())
STEMMER_LANGUAGES = set(json.loads((Path(__file__).parent / "elasticsearch_spec" / "stemmer_languages.json").read_text())["languages"])
# Index settings the body may hold besides its analysis (IndexSettings in the specification).
INDEX_SETTINGS = {"number_of_shards", "number_of_replicas", "auto_expand_replicas", "refresh_interval", "analysis"}
COMPONENTS = {"analyzer": "analyzers", "tokenizer": "tokenizers", "filter": "token_filters", "char_filter": "char_filters"}
# Mapping parameters of the root object, not of a field.
ROOT_MAPPING = {"dynamic", "properties", "_source", "_meta", "dynamic_templates", "date_detection", "numeric_detection"}


def spec_problems(body: dict) -> list[str]:
    """What in an index body (settings and mappings) the specification does not know, one line each."""
    problems = []
    settings = body.get("settings", {})
    problems += [f"settings.{name}: no such index setting" for name in settings if name not in INDEX_SETTINGS]
    analysis = settings.get("analysis", {})
    defined = {section: set(analysis.get(section, {})) for section in COMPONENTS}
    for section, kind in COMPONENTS.items():
        for name, definition in analysis.get(section, {}).items():
            where = f"settings.analysis.{section}.{name}"
            component_type = definition.get("type", "custom" if section == "analyzer" else None)
            if component_type not in SPEC[kind]:
                problems.append(f"{where}: unknown {section} type {component_type!r}")
                continue
            allowed = set(SPEC[kind][component_type]) | {"type"}
            problems += [f"{where}.{parameter}: {component_type} takes no such parameter"
                         for parameter in definition if parameter not in allowed]
            problems += _value_problems(where, component_type, definition)
            if section == "analyzer":
                problems += _analyzer_reference_problems(where, definition, defined)
    problems += _mapping_problems("mappings", body.get("mappings", {}), defined["analyzer"], root=True)
    return problems


def _value_problems(where: str, component_type: str, definition: dict) -> list[str]:
    problems = []
    if component_type == "stemmer":
        language = definition.get("language", definition.get("name"))
        if language not in STEMMER_LANGUAGES:
            problems.append(f"{where}.language: no stemmer {language!r}")
    stopwords = definition.get("stopwords")
    if isinstance(stopwords, str) and stopwords.startswith("_") and stopwords not in SPEC["stop_word_lists"]:
        problems.append(f"{where}.stopwords: no stop-word list {stopwords!r}")
    return problems


def _analyzer_reference_problems(where: str, analyzer: dict, defined: dict) -> list[str]:
    """A custom analyzer names its tokenizer and filters: defined in the body, or built in."""
    problems = []
    tokenizer = analyzer.get("tokenizer")
    if tokenizer is not None and tokenizer not in defined["tokenizer"] and tokenizer not in SPEC["tokenizers"]:
        problems.append(f"{where}.tokenizer: no tokenizer {tokenizer!r}")
    for section, key in (("filter", "token_filters"), ("char_filter", "char_filters")):
        for name in analyzer.get(section, []):
            if name not in defined[section] and name not in SPEC[key]:
                problems.append(f"{where}.{section}: no {section.replace('_', ' ')} {name!r}")
    return problems


def _mapping_problems(where: str, mapping: dict, analyzers: set, *, root: bool = False) -> list[str]:
    problems = []
    if root:
        problems += [f"{where}.{name}: no such mapping parameter" for name in mapping if name not in ROOT_MAPPING]
    for name, field in mapping.get("properties", {}).items():
        field_where = f"{where}.properties.{name}"
        field_type = field.get("type", "object")
        if field_type not in SPEC["field_types"]:
            problems.append(f"{field_where}: unknown field type {field_type!r}")
            continue
        allowed = set(SPEC["field_types"][field_type]) | {"type"}
        problems += [f"{field_where}.{parameter}: a {field_type} field takes no such parameter"
                     for parameter in field if parameter not in allowed]
        for parameter in ("analyzer", "search_analyzer", "search_quote_analyzer"):
            if parameter in field and field[parameter] not in analyzers and field[parameter] not in SPEC["analyzers"]:
                problems.append(f"{field_where}.{parameter}: no analyzer {field[parameter]!r}")
        problems += _mapping_problems(field_where, field, analyzers)
        for sub_name, sub_field in field.get("fields", {}).items():
            problems += _mapping_problems(f"{field_where}.fields", {"properties": {sub_name: sub_field}}, analyzers)
    return problems


def index_body() -> dict:
    return listing_index("souk-listings-20260101000000000000").to_dict()


def test_the_index_body_is_all_in_the_specification():
    assert spec_problems(index_body()) == []


def test_the_extract_is_of_the_clients_major_version():
    from elasticsearch import __versionstr__

    assert SPEC["source"]["branch"].split(".")[0] == __versionstr__.split(".")[0]
    assert {"stemmer", "stop", "elision", "asciifolding", "lowercase"} <= set(SPEC["token_filters"])


def analysis_of(body: dict) -> dict:
    return body["settings"]["analysis"]


@pytest.mark.parametrize(("break_it", "expected"), [
    (lambda body: analysis_of(body)["filter"]["souk_en_stemmer"].update(type="stemer"),
     "settings.analysis.filter.souk_en_stemmer: unknown filter type 'stemer'"),
    (lambda body: analysis_of(body)["filter"]["souk_en_stop"].update(stop_words="_english_"),
     "settings.analysis.filter.souk_en_stop.stop_words: stop takes no such parameter"),
    (lambda body: analysis_of(body)["filter"]["souk_fr_stemmer"].update(language="light_frensh"),
     "settings.analysis.filter.souk_fr_stemmer.language: no stemmer 'light_frensh'"),
    (lambda body: analysis_of(body)["filter"]["souk_ar_stop"].update(stopwords="_arab_"),
     "settings.analysis.filter.souk_ar_stop.stopwords: no stop-word list '_arab_'"),
    (lambda body: analysis_of(body)["analyzer"]["souk_en"]["filter"].append("souk_en_snowball"),
     "settings.analysis.analyzer.souk_en.filter: no filter 'souk_en_snowball'"),
    (lambda body: analysis_of(body)["analyzer"]["souk_en"].update(tokenizer="standart"),
     "settings.analysis.analyzer.souk_en.tokenizer: no tokenizer 'standart'"),
    (lambda body: body["mappings"]["properties"]["category"].update(type="keywords"),
     "mappings.properties.category: unknown field type 'keywords'"),
    (lambda body: body["mappings"]["properties"]["title_en"].update(search_analyser="souk_en_search"),
     "mappings.properties.title_en.search_analyser: a text field takes no such parameter"),
    (lambda body: body["mappings"]["properties"]["title_fr"].update(analyzer="souk_french"),
     "mappings.properties.title_fr.analyzer: no analyzer 'souk_french'"),
    (lambda body: body["settings"].update(number_of_shard=2),
     "settings.number_of_shard: no such index setting"),
])
def test_a_mistake_is_reported_where_it_is(break_it, expected):
    body = index_body()
    break_it(body)
    assert spec_problems(body) == [expected]
