"""Where a category page's listing comes from. Search sits above the catalog and registers its listing at
start-up (SearchConfig.ready), so the catalog never imports search."""

# What a category page shows when no app provides its listing: no products.
EMPTY_LISTING = {
    "query": "", "hits": [], "total": 0, "listing_page": None, "facets": [], "sort": "", "sorts": (),
    "filtered": False, "page_query": "", "notices": {},
}

_category_listing = None


def category_listing_register(provider) -> None:
    """``provider(request, page)`` returns a category page's listing as template context: ``hits``,
    ``total``, ``facets``, ``sort`` and ``sorts``, ``listing_page``, ``filtered``, ``page_query``, ``query``,
    ``notices``."""
    global _category_listing
    _category_listing = provider


def category_listing(request, page) -> dict:
    """The listing of a category page, from the registered provider; an empty listing without one."""
    if _category_listing is None:
        return dict(EMPTY_LISTING)
    return _category_listing(request, page)
