from celery import shared_task

from .services import outbox_relay


@shared_task(ignore_result=True)
def outbox_relay_task() -> int:
    """Beat, every minute: send what the web processes could not (a broker that was down)."""
    return outbox_relay()
