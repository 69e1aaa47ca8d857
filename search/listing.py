"""The listing a page shows (hits, facets, sort and pages) for the search page and the category pages.
A category page gets it through the provider search registers at start-up (SearchConfig.ready), so the
catalog never imports search."""

import hashlib
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Locale

from catalog.cache import LISTINGS_TAG, cached
from catalog.selectors import product_cards_by_id, product_pages_for_listing
from currency.selectors import money_format

from .facets import FACET_TITLES, FACETS, facet_names
from .params import search_request
from .selectors import listing_search
from .services import search_result_count_miss


def request_search(request, *, language, strict, fixed_filters=None):
    """What the request asks for, what the search found, and the product cards of its page of hits."""
    wanted = search_request(request.GET, language=language, currency=getattr(request, "currency", None), strict=strict)
    if fixed_filters:
        wanted = replace(wanted, query=replace(wanted.query, filters={**wanted.query.filters, **fixed_filters}))
    found = _listing_search(wanted.query, correct=wanted.correct)
    search_result_count_miss(query=wanted.query, found=found)
    results = found.results
    locale = Locale.objects.get(language_code=wanted.query.language)
    cards = product_cards_by_id(results.page_ids, pages=product_pages_for_listing(locale=locale), request=request)
    return wanted, found, cards


def _listing_search(query, *, correct):
    """Identical queries within a catalogue generation and ``listings`` stamp (every category page's
    first view, a popular search) share one result for ``SEARCH_RESULTS_CACHE_SECONDS`` (0: never)."""
    if not settings.SEARCH_RESULTS_CACHE_SECONDS:
        return listing_search(query, correct=correct)
    key = "search:results:" + hashlib.sha256(repr((query, correct)).encode()).hexdigest()
    return cached(key, lambda: listing_search(query, correct=correct), timeout=settings.SEARCH_RESULTS_CACHE_SECONDS,
                  tag=LISTINGS_TAG)


def _price_name(key: str, currency: str) -> str:
    low, _sep, high = key.partition("-")
    try:
        low_amount, high_amount = Decimal(low), Decimal(high) if high else None
    except InvalidOperation:  # not a range of ours: shown as it is
        return key
    if high_amount is None:
        return _("%(low)s and more") % {"low": money_format(low_amount, currency, whole=True)}
    high_text = money_format(high_amount, currency, whole=True)
    if low_amount == 0:
        return _("Under %(high)s") % {"high": high_text}
    return f"{money_format(low_amount, currency, whole=True)}–{high_text}"


def _facet_groups(results, currency):
    names = facet_names()
    groups = []
    for facet in FACETS:
        values = results.facets.get(facet, [])
        if not values:
            continue
        entries = [
            {"value": value.value, "count": value.count, "selected": value.selected,
             "name": _price_name(value.value, currency) if facet == "price" else names[facet].get(value.value, value.value)}
            for value in values
        ]
        if facet != "price":
            entries.sort(key=lambda entry: (-entry["count"], entry["name"]))
        groups.append({"name": facet, "title": FACET_TITLES[facet], "values": entries})
    return groups


# gettext_lazy under its own name: makemessages extracts gettext_lazy(…) and _(…), not an alias such as _lazy(…).
SORT_NAMES = (("relevance", gettext_lazy("Relevance")), ("price_asc", gettext_lazy("Price: low to high")),
              ("price_desc", gettext_lazy("Price: high to low")), ("newest", gettext_lazy("Newest")))


def _search_url(**params) -> str:
    return "?" + urlencode(params)


def _query_notices(found, typed: str) -> dict:
    """What the buyer is told about how the results were found, with links onwards."""
    names = facet_names()["category"]
    return {
        "typed_query": typed,
        "corrected_query": found.corrected_query,
        "exact_url": _search_url(q=typed, exact="1"),
        "relaxed": found.relaxed,
        "suggestions": [{"text": text, "url": _search_url(q=text)} for text in found.suggestions],
        "popular_categories": [{"name": names.get(code, code), "url": _search_url(category=code)}
                               for code in found.popular_categories],
    }


def listing_context(request, *, language, fixed_filters=None) -> dict:
    """Hits, facets, sort and pages of a listing; the search page and category pages share it.
    ``fixed_filters`` (a category page's own branch) apply always and are not offered as facets."""
    wanted, found, hits = request_search(request, language=language, strict=False, fixed_filters=fixed_filters)
    results = found.results
    query = wanted.query
    paginator = Paginator(range(results.total), query.page_size)
    kept = [(key, value) for key, values in request.GET.lists() for value in values if key != "page"]
    facets = [group for group in _facet_groups(results, wanted.currency) if group["name"] not in (fixed_filters or {})]
    return {
        "query": query.text, "hits": hits, "total": results.total, "listing_page": paginator.get_page(query.page),
        "facets": facets, "sort": query.sort, "sorts": SORT_NAMES,
        "filtered": bool(set(query.filters) - set(fixed_filters or {}) or query.price_ranges), "page_query": urlencode(kept),
        "notices": _query_notices(found, query.text),
    }


def category_page_listing(request, page) -> dict:
    """The listing of a category page: the products of its part of the trade nomenclature."""
    return listing_context(request, language=page.locale.language_code, fixed_filters=page.listing_filters())
