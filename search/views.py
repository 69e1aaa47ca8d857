import hashlib
from dataclasses import replace
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from wagtail.models import Locale

from catalog.cache import cached
from catalog.selectors import product_cards, product_pages_for_listing
from config.ratelimit import rate_limited
from currency.selectors import money_convert

from .backends import get_listing_backend
from .facets import FACET_TITLES, FACETS, facet_names
from .params import ParameterError, search_request
from .selectors import listing_search
from .services import search_result_count_miss


def _search(request, *, language, strict, fixed_filters=None):
    wanted = search_request(request.GET, language=language, currency=getattr(request, "currency", None), strict=strict)
    if fixed_filters:
        wanted = replace(wanted, query=replace(wanted.query, filters={**wanted.query.filters, **fixed_filters}))
    found = _listing_search(wanted.query, correct=wanted.correct)
    search_result_count_miss(query=wanted.query, found=found)
    results = found.results
    locale = Locale.objects.get(language_code=wanted.query.language)
    pages = product_pages_for_listing(locale=locale).filter(pk__in=results.page_ids)
    cards = {card.page_id: card for card in product_cards(pages, request=request)}
    return wanted, found, [cards[pk] for pk in results.page_ids if pk in cards]


# Identical queries within a catalogue generation (every category page's first view, a popular
# search) share one result: any change to the listings starts a new generation.
RESULTS_CACHE_SECONDS = 300


def _listing_search(query, *, correct):
    key = "search:results:" + hashlib.sha256(repr((query, correct)).encode()).hexdigest()
    return cached(key, lambda: listing_search(query, correct=correct), timeout=RESULTS_CACHE_SECONDS)


def _price_name(key: str, currency: str) -> str:
    low, _sep, high = key.partition("-")
    if not high:
        return _("%(low)s %(currency)s and more") % {"low": low, "currency": currency}
    if low == "0":
        return _("Under %(high)s %(currency)s") % {"high": high, "currency": currency}
    return f"{low}–{high} {currency}"


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
    wanted, found, hits = _search(request, language=language, strict=False, fixed_filters=fixed_filters)
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


def search_page(request):
    return render(request, "search/search_page.html", listing_context(request, language=(get_language() or "en")[:2]))


@require_GET
@rate_limited("search", methods=("GET",), as_json=True)
def search_api(request):
    """/api/v1/search/: the search page's results as JSON (same parameters, plus language and page_size).
    When the words as typed find nothing: ``corrected_query`` (the respelt words that found the
    results), ``relaxed`` (results hold only some of the words), ``suggestions`` and
    ``popular_categories`` (when even those find nothing)."""
    try:
        wanted, found, hits = _search(request, language=request.GET.get("language", "en"), strict=True)
    except ParameterError as error:
        return JsonResponse({"error": str(error)}, status=400)
    results = found.results
    currency = wanted.currency
    with translation.override(wanted.query.language):
        names = facet_names()["category"]
        categories = [{"value": code, "name": names.get(code, code)} for code in found.popular_categories]
    return JsonResponse({
        "total": results.total,
        "page": wanted.query.page,
        "page_size": wanted.query.page_size,
        "currency": currency,
        "query": wanted.query.text,
        "corrected_query": found.corrected_query or None,
        "relaxed": found.relaxed,
        "suggestions": found.suggestions,
        "popular_categories": categories,
        "results": [
            {"id": card.page_id, "product_id": card.product_id, "title": card.title, "url": card.url,
             "seller": card.seller_name, "region": card.region_name,
             "price": {"amount": str(money_convert(card.price, to=currency).amount), "currency": currency},
             "in_stock": card.in_stock, "made_to_order": card.made_to_order,
             "labels": [{"scheme": label.scheme_code, "certificate": label.number} for label in card.labels]}
            for card in hits
        ],
        "facets": {facet: [{"value": value.value, "count": value.count, "selected": value.selected}
                           for value in values] for facet, values in results.facets.items()},
    }, json_dumps_params={"ensure_ascii": False})


@require_GET
@rate_limited("search", methods=("GET",), as_json=True)
def search_suggest(request):
    """/api/v1/search/suggest/?q=…&language=…: product titles for the header's search box."""
    text = request.GET.get("q", "").strip()[:100]
    language = request.GET.get("language", "en")
    if language not in dict(settings.LANGUAGES):
        return JsonResponse({"error": _("Unknown language “%(language)s”.") % {"language": language}}, status=400)
    return JsonResponse({"suggestions": get_listing_backend().suggest(text, language)}, json_dumps_params={"ensure_ascii": False})
