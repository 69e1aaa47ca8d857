from celery import shared_task

from .feeds import shopping_feeds_write
from .services import listing_index_update


@shared_task(ignore_result=True)
def listing_index_update_task(page_ids: list[int]) -> None:
    """Bring these pages' listing documents and the engine's index in step with the catalogue."""
    listing_index_update(page_ids)


@shared_task(ignore_result=True)
def shopping_feeds_write_task() -> int:
    """Hourly (beat): write the shopping feeds from the catalogue as it is; returns how many changed."""
    return sum(written.changed for written in shopping_feeds_write())
