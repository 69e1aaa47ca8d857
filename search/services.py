"""Keeping the listing documents (and the engine's index) in step with the catalogue."""

from catalog.cache import catalog_invalidate
from catalog.models import ProductPage
from outbox.services import outbox_enqueue

from .backends import get_listing_backend
from .documents import BATCH_SIZE, listing_documents_sync
from .models import ListingDocument


def listing_index_update(page_ids) -> tuple[int, int]:
    """Rebuild these pages' documents and push them to the search engine. Returns (written, removed)."""
    page_ids = sorted(set(page_ids))
    written, removed = listing_documents_sync(page_ids)
    get_listing_backend().index_update(page_ids)
    catalog_invalidate()  # cached result pages were computed from the documents before this update
    return written, removed


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
