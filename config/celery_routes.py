"""With ``TASK_QUEUES=split``: each task to a queue of its kind, so that a flood of one kind of work
never delays another (docs/scaling.md, "Celery queues"). Workers then take ``-Q email``,
``-Q documents`` and ``-Q index,celery``."""

EMAIL_QUEUE = "email"
DOCUMENTS_QUEUE = "documents"
INDEX_QUEUE = "index"
DEFAULT_QUEUE = "celery"

DOCUMENT_TASKS = frozenset({
    "marketplace.orders.tasks.seller_order_documents_make_task",
    "marketplace.quotes.tasks.quote_proforma_make",
    "catalog.tasks.product_page_renditions_warm",
})
INDEX_TASKS = frozenset({
    "search.tasks.listing_index_update_task",
    "search.tasks.shopping_feeds_write_task",
    "catalog.tasks.products_frontend_cache_purge_task",
})


def queue_for(task_name: str) -> str:
    if task_name.endswith("_send"):
        return EMAIL_QUEUE
    if task_name in DOCUMENT_TASKS:
        return DOCUMENTS_QUEUE
    if task_name in INDEX_TASKS:
        return INDEX_QUEUE
    return DEFAULT_QUEUE


def route_task(name, args, kwargs, options, task=None, **kw):
    """Celery's router signature (``task_routes`` may name a function)."""
    return {"queue": queue_for(name)}
