"""Purging a CDN or caching proxy in front of the site (Wagtail's frontend cache), when one is configured.

Wagtail purges a page's own addresses when it is published or unpublished. A product's stock or
price changes no page, so a sale or a price change would leave the proxy's copies of its pages and of
the listings showing it until they expire: ``products_frontend_cache_purge`` sends them after commit
(``catalog.tasks``). Search result pages depend on their query and are left to expire
(docs/scaling.md).
"""

from django.conf import settings
from wagtail.contrib.frontend_cache.utils import PurgeBatch, get_backends

from .models import CategoryIndexPage, HomePage, ProductPage, SellerPage


def frontend_cache_configured() -> bool:
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None) or getattr(settings, "WAGTAILFRONTENDCACHE_LOCATION", None))


def products_frontend_cache_urls(product_ids) -> list[str]:
    """Every address that shows these products: their pages, their sellers' pages, the home pages and
    the category listings, in every language."""
    product_pages = ProductPage.objects.live().filter(product_id__in=product_ids)
    seller_ids = set(product_pages.values_list("product__seller_id", flat=True))
    batch = PurgeBatch()
    batch.add_pages(product_pages)
    batch.add_pages(SellerPage.objects.live().filter(seller_id__in=seller_ids))
    batch.add_pages(HomePage.objects.live())
    batch.add_pages(CategoryIndexPage.objects.live())
    return sorted(set(batch.urls))


def products_frontend_cache_purge(product_ids) -> int:
    """Purge what shows these products from the configured frontend caches; returns how many addresses."""
    if not frontend_cache_configured() or not get_backends():
        return 0
    urls = products_frontend_cache_urls(product_ids)
    PurgeBatch(urls).purge()
    return len(urls)
