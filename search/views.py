import re

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
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
from .sitemaps import page_sitemap_urls, product_sitemap_urls, sitemap_sections


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


SITEMAP_SECTION = re.compile(r"^(?:pages-(?P<page_language>[a-z]{2})|products-(?P<language>[a-z]{2})-(?P<number>\d{1,6}))$")


@require_GET
def sitemap_index(request):
    """/sitemap.xml: the index of every language's sitemaps."""
    sections = [request.build_absolute_uri(reverse("sitemap_section", args=[name])) for name in sitemap_sections()]
    return render(request, "search/sitemap_index.xml", {"sitemaps": sections}, content_type="application/xml")


@require_GET
def sitemap_section(request, name):
    """/sitemaps/<pages-LANG|products-LANG-N>.xml"""
    match = SITEMAP_SECTION.match(name)
    languages = dict(settings.LANGUAGES)
    if match is None or (match["page_language"] or match["language"]) not in languages:
        raise Http404
    if match["page_language"]:
        urls = page_sitemap_urls(request, language=match["page_language"])
    else:
        urls = product_sitemap_urls(request, language=match["language"], number=int(match["number"]))
        if urls is None:
            raise Http404
    return render(request, "search/sitemap.xml", {"urls": urls}, content_type="application/xml")


# Paths no search engine should crawl, in every language: private or per-visitor pages.
ROBOTS_DISALLOWED = ("admin/", "basket/", "checkout/", "account/", "orders/", "currency/", "bench/", "documents/")


@require_GET
def robots_txt(request):
    languages = [code for code, _name in settings.LANGUAGES]
    disallowed = [f"/{path}" for path in ROBOTS_DISALLOWED if path in ("admin/", "currency/", "bench/", "documents/")]
    disallowed += [f"/{language}/{path}" for language in languages for path in ROBOTS_DISALLOWED
                   if path not in ("admin/", "currency/", "bench/", "documents/")]
    # The search page with parameters repeats the catalogue endlessly; the category pages list it once.
    disallowed += [f"/{language}/search/?" for language in languages]
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in disallowed), "Allow: /",
             f"Sitemap: {request.build_absolute_uri(reverse('sitemap_index'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
