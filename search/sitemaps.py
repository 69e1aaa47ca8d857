"""The sitemaps: an index (``/sitemap.xml``) over one sitemap of pages per language (home, categories,
sellers) and numbered sitemaps of products per language, each URL with its translations as hreflang
alternates and x-default (sitemaps.org protocol; Google's "Localized versions of your page").

Products come from the flat listing documents, a page of them at a time, never from the page tree:
whatever the catalogue's size, a sitemap costs the same few queries (one for its documents, one for the
same products' documents in the other languages, one for their addresses).
"""

import math
from dataclasses import dataclass, field

from django.conf import settings
from wagtail.models import Page

from catalog.models import CategoryIndexPage, HomePage, SellerIndexPage, SellerPage

from .models import ListingDocument

# Far below the protocol's 50,000 URLs and 50 MB, so that a sitemap renders fast.
PRODUCTS_PER_SITEMAP = 5_000


@dataclass
class SitemapUrl:
    location: str
    last_modified: str = ""
    alternates: list[tuple[str, str]] = field(default_factory=list)  # (hreflang, absolute URL)


def sitemap_sections(language_codes=None) -> list[str]:
    """The names of every sitemap: ``pages-<language>`` and ``products-<language>-<n>``."""
    sections = []
    for language in language_codes or [code for code, _name in settings.LANGUAGES]:
        sections.append(f"pages-{language}")
        count = ListingDocument.objects.filter(language=language).count()
        sections += [f"products-{language}-{number}"
                     for number in range(1, max(1, math.ceil(count / PRODUCTS_PER_SITEMAP)) + 1)]
    return sections


def _absolute(request, url: str | None) -> str:
    return request.build_absolute_uri(url) if url else ""


def _with_alternates(request, location_pages: dict, group_of: dict, groups: dict) -> list[SitemapUrl]:
    """URLs for ``location_pages`` (page id → Page), each with the pages of its group (translations)."""
    urls = []
    for page_id, page in location_pages.items():
        translations = groups.get(group_of.get(page_id), {})
        alternates = [(language, _absolute(request, translations[language].get_url(request)))
                      for language in sorted(translations)]
        default = translations.get(settings.LANGUAGE_CODE)
        if default is not None:
            alternates.append(("x-default", _absolute(request, default.get_url(request))))
        last = page.last_published_at
        urls.append(SitemapUrl(location=_absolute(request, page.get_url(request)),
                               last_modified=last.date().isoformat() if last else "",
                               alternates=[(code, href) for code, href in alternates if href]))
    return urls


def product_sitemap_urls(request, *, language: str, number: int) -> list[SitemapUrl] | None:
    """The products of one sitemap page, or None for a page past the end."""
    if number < 1:
        return None
    start = (number - 1) * PRODUCTS_PER_SITEMAP
    documents = list(ListingDocument.objects.filter(language=language).order_by("page_id")
                     .values_list("page_id", "product_id")[start:start + PRODUCTS_PER_SITEMAP])
    if not documents and number > 1:
        return None
    product_ids = {product_id for _page_id, product_id in documents}
    translations = list(ListingDocument.objects.filter(product_id__in=product_ids)
                        .values_list("page_id", "product_id", "language"))
    pages = Page.objects.filter(pk__in=[page_id for page_id, _product, _language in translations]) \
        .only("pk", "url_path", "last_published_at", "depth", "path")
    pages = {page.pk: page for page in pages}
    groups: dict = {}
    for page_id, product_id, page_language in translations:
        if page_id in pages:
            groups.setdefault(product_id, {})[page_language] = pages[page_id]
    group_of = dict(documents)
    location_pages = {page_id: pages[page_id] for page_id, _product in documents if page_id in pages}
    return _with_alternates(request, location_pages, group_of, groups)


PAGE_TYPES = (HomePage, CategoryIndexPage, SellerIndexPage, SellerPage)


def page_sitemap_urls(request, *, language: str) -> list[SitemapUrl]:
    """The home, category, seller index and seller pages of a language, live and public, with their
    translations (pages of one translation key)."""
    types = Page.objects.type(*PAGE_TYPES).live().public()
    pages = {page.pk: page for page in types.filter(locale__language_code=language)
             .only("pk", "url_path", "last_published_at", "translation_key", "depth", "path").order_by("path")}
    keys = {page.translation_key for page in pages.values()}
    groups: dict = {}
    for page in types.filter(translation_key__in=keys).select_related("locale") \
            .only("pk", "url_path", "translation_key", "locale__language_code", "depth", "path"):
        groups.setdefault(page.translation_key, {})[page.locale.language_code] = page
    group_of = {page.pk: page.translation_key for page in pages.values()}
    return _with_alternates(request, pages, group_of, groups)
