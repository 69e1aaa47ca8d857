"""Search parameters from a request: the same for the search page and the API."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from currency.selectors import currency_normalise

from .backends import ListingQuery
from .backends.base import SORTS
from .facets import FACETS, facet_values, price_range, price_ranges

MAX_QUERY_LENGTH = 200
DEFAULT_PAGE_SIZE = 24
MAX_PAGE_SIZE = 60
MAX_VALUES_PER_FACET = 30


class ParameterError(ValueError):
    """A parameter the search cannot take; its message says which and why."""


@dataclass(frozen=True)
class SearchRequest:
    query: ListingQuery
    currency: str
    # False when the buyer asked for the words as typed ("search instead for …"): no spelling correction.
    correct: bool = True


def search_request(params, *, language: str, currency: str | None, strict: bool) -> SearchRequest:
    """The listing query a request's parameters ask for.

    ``strict`` (the API): a bad parameter raises ParameterError. Otherwise (the page) bad values are
    left out, so an old or hand-edited link still shows results.
    """

    def refuse(message):
        if strict:
            raise ParameterError(message)

    text = params.get("q", "").strip()
    if len(text) > MAX_QUERY_LENGTH:
        refuse(_("The text is longer than %(limit)d characters.") % {"limit": MAX_QUERY_LENGTH})
        text = text[:MAX_QUERY_LENGTH]
    page = _positive_int(params.get("page"), 1, "page", refuse)
    page_size = min(_positive_int(params.get("page_size"), DEFAULT_PAGE_SIZE, "page_size", refuse), MAX_PAGE_SIZE)
    sort = params.get("sort") or "relevance"
    if sort not in SORTS:
        refuse(_("Unknown sort “%(sort)s”; use one of: %(sorts)s.") % {"sort": sort, "sorts": ", ".join(SORTS)})
        sort = "relevance"
    currency = currency_normalise(params.get("currency") or currency)
    known = facet_values()
    filters = {}
    for facet in FACETS:
        if facet == "price":
            continue
        values = [value for value in params.getlist(facet) if value][:MAX_VALUES_PER_FACET]
        unknown = [value for value in values if value not in known[facet]]
        if unknown:
            refuse(_("Unknown value “%(value)s” for %(facet)s.") % {"value": unknown[0], "facet": facet})
        if chosen := tuple(value for value in values if value in known[facet]):
            filters[facet] = chosen
    ranges = []
    for key in params.getlist("price")[:MAX_VALUES_PER_FACET]:
        try:
            ranges.append(price_range(key, currency))
        except ValueError:
            refuse(_("A price range is written low-high or low-, in whole units: “%(value)s” is not.") % {"value": key})
    languages = [code for code, _name in settings.LANGUAGES]
    language = language if language in languages else settings.LANGUAGE_CODE
    query = ListingQuery(
        text=text, language=language, filters=filters, price_ranges=tuple(ranges),
        facet_price_ranges=price_ranges(currency), sort=sort, page=page, page_size=page_size,
    )
    return SearchRequest(query=query, currency=currency, correct=params.get("exact") != "1")


def _positive_int(raw, default, name, refuse) -> int:
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except (TypeError, ValueError):
        value = 0
    if value < 1 or value > 100_000:
        refuse(_("%(name)s must be a whole number from 1.") % {"name": name})
        return default
    return value
