"""Keeping the listing documents (and the engine's index) in step with the catalogue, and counting the
searches that found nothing."""

import logging

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, transaction
from django.db.models import F
from django.utils import timezone

from catalog.cache import LISTINGS_TAG, cache_tags_invalidate, catalog_invalidate, product_tag
from catalog.models import ProductPage
from outbox.services import outbox_enqueue
from sellers.roles import CHAMBER_STAFF_GROUP, role_groups_ensure

from .backends import get_listing_backend
from .documents import BATCH_SIZE, listing_documents_sync
from .models import ListingDocument, SearchMiss
from .words import query_words

logger = logging.getLogger(__name__)
MISS_QUERY_LENGTH = SearchMiss._meta.get_field("query").max_length


def listing_index_update(page_ids) -> tuple[int, int]:
    """Rebuild these pages' documents and push them to the search engine. Returns (written, removed)."""
    page_ids = sorted(set(page_ids))
    before = _documents_as_listed(page_ids)
    written, removed = listing_documents_sync(page_ids)
    get_listing_backend().index_update(page_ids)
    after = _documents_as_listed(page_ids)
    # Cached pages and result lists were computed from the documents before this update: as little
    # goes stale as what changed. A sale that leaves a product in stock changes no document.
    if before.keys() != after.keys():
        catalog_invalidate()  # a page entered or left the listings: counts, pages and menus shift
    elif before != after:
        cache_tags_invalidate({LISTINGS_TAG} | {product_tag(row["product_id"]) for row in after.values()})
    return written, removed


def _documents_as_listed(page_ids) -> dict[int, dict]:
    """What listings show and filter on, per listed page (not the text words, which follow the title and body)."""
    rows = ListingDocument.objects.filter(page_id__in=page_ids).values()
    return {row.pop("page_id"): row for row in rows}


def listing_index_queue(page_ids) -> None:
    """Update these pages in the index once the current transaction commits (through Celery)."""
    page_ids = sorted(set(page_ids))
    if page_ids:
        outbox_enqueue("search.tasks.listing_index_update_task", page_ids)


def listing_documents_rebuild(*, progress=None) -> int:
    """Every page's document rebuilt and stale ones removed; returns how many pages are listed.
    ``progress(n)`` is called after each batch with the number of pages done."""
    page_ids = list(ProductPage.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(page_ids), BATCH_SIZE):
        listing_documents_sync(page_ids[start : start + BATCH_SIZE])
        if progress:
            progress(len(page_ids[start : start + BATCH_SIZE]))
    # No document outlives its page: the foreign key cascades.
    return ListingDocument.objects.count()


def search_result_count_miss(*, query, found) -> None:
    """Count, for staff's report, a search whose exact match found nothing: only an unfiltered first
    page counts (paging or filtering an earlier search is not a new wish), with what rescued it."""
    if not found.missed or query.page != 1 or query.filters or query.price_ranges:
        return
    if found.relaxed:
        outcome = SearchMiss.Outcome.RELAXED
    elif found.corrected_query:
        outcome = SearchMiss.Outcome.CORRECTED
    else:
        outcome = SearchMiss.Outcome.NOTHING
    search_miss_record(text=query.text, language=query.language, outcome=outcome)


def search_miss_record(*, text: str, language: str, outcome: str) -> None:
    """Count a query whose exact search found nothing, for staff's report. Keeps only the normalised
    words and the language. Never raises: a failed write is logged and the search goes on."""
    normalised = " ".join(query_words(text))[:MISS_QUERY_LENGTH]
    if not normalised:
        return
    try:
        with transaction.atomic():
            now = timezone.now()
            updated = SearchMiss.objects.filter(language=language, query=normalised).update(
                count=F("count") + 1, last_seen=now, outcome=outcome)
            if not updated:
                miss = SearchMiss(query=normalised, language=language, count=1, outcome=outcome, first_seen=now,
                                  last_seen=now)
                miss.full_clean(validate_constraints=False)
                miss.save()
    except (DatabaseError, ValidationError):
        # Another request counting the same query at the same moment, or the database refusing writes:
        # the buyer's search matters more than the count.
        logger.warning("A search that found nothing could not be counted.", exc_info=True)


# What chamber staff may do with search's own records in the admin (sellers and inspectors: nothing).
SEARCH_GROUP_PERMISSIONS = {
    CHAMBER_STAFF_GROUP: ("listing_search.view_searchmiss", "listing_search.view_synonymset",
                          "listing_search.add_synonymset", "listing_search.change_synonymset",
                          "listing_search.delete_synonymset"),
}


def search_groups_ensure(*, using: str = DEFAULT_DB_ALIAS) -> None:
    """Give the official groups their permissions on search's records. Idempotent."""
    role_groups_ensure(SEARCH_GROUP_PERMISSIONS, using=using)
