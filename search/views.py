from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from config.ratelimit import rate_limited
from currency.selectors import money_convert

from .backends import get_listing_backend
from .facets import facet_names
from .listing import listing_context, request_search
from .params import ParameterError


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
        wanted, found, hits = request_search(request, language=request.GET.get("language", "en"), strict=True)
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
