from celery import shared_task

from .services import listing_index_update


@shared_task(ignore_result=True)
def listing_index_update_task(page_ids: list[int]) -> None:
    """Bring these pages' listing documents and the engine's index in step with the catalogue."""
    listing_index_update(page_ids)
