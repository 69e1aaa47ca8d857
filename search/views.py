import re

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from .listing import listing_context
from .sitemaps import page_sitemap_urls, product_sitemap_urls, sitemap_sections

# The search API (/api/v1/search/ and /api/v1/search/suggest/) is served by the open catalogue API (api.views).


def search_page(request):
    return render(request, "search/search_page.html", listing_context(request, language=(get_language() or "en")[:2]))


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
