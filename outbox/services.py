"""The transactional outbox: every task queued after a write goes through here.

``outbox_enqueue`` records the task in the caller's transaction and asks for it to be sent once that
transaction commits. Sending never raises into the caller: a broker that is down, or (with tasks run
eagerly) a task that fails, leaves the message pending, and ``outbox_relay`` (the beat task every
minute, or ``manage.py outbox_relay``) sends it later, backing off between tries. So a request that
committed its work always gets its answer, and the work after it is done once the broker is back.

Delivery is at least once: a message sent whose "sent" mark was then lost is sent again, so tasks
must tolerate running twice (they read the current state of the records they are given).
"""

import logging
import threading
import time
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import OutboxMessage

logger = logging.getLogger(__name__)

CLAIM_SECONDS = 120
MAX_ATTEMPTS = 12
BACKOFF_MAX = timedelta(hours=1)
SENT_KEPT_FOR = timedelta(days=7)
# After the broker refused one message, a web process leaves the others to the relay for this long
# rather than making each request wait for a broker that is down.
BROKER_PAUSE_SECONDS = 30.0

_broker_paused_until = 0.0
_pause_lock = threading.Lock()


def outbox_enqueue(task: str, *args) -> OutboxMessage:
    """Record ``task(*args)`` (a task's dotted path) to run after the current transaction commits.

    Raises ImportError at once for a task that does not exist, so a typo fails in tests, not in the relay.
    """
    import_string(task)
    message = OutboxMessage.objects.create(task=task, args=list(args))
    transaction.on_commit(lambda: _send_after_commit(message.pk))
    return message


def _send_after_commit(message_id: int) -> None:
    if time.monotonic() < _broker_paused_until:
        return
    try:
        outbox_send(message_ids=[message_id])
    except Exception:  # nothing after a commit may fail the request; the relay tries again
        logger.exception("Outbox message %s could not be sent after its commit; the relay will retry.", message_id)


def outbox_send(*, message_ids: list[int], now: datetime | None = None) -> int:
    """Send these pending messages (those no one else holds and that are due). Returns how many went."""
    sent = 0
    for message_id in message_ids:
        now_ = now or timezone.now()
        claimed = OutboxMessage.objects.filter(
            Q(claimed_until=None) | Q(claimed_until__lt=now_),
            pk=message_id, state=OutboxMessage.State.PENDING, available_at__lte=now_,
        ).update(claimed_until=now_ + timedelta(seconds=CLAIM_SECONDS))
        if not claimed:
            continue
        message = OutboxMessage.objects.get(pk=message_id)
        try:
            _deliver(message)
        except Exception as error:  # a broker or a task failing, whatever the kind: back off and retry
            _failed(message, error, now_)
            continue
        OutboxMessage.objects.filter(pk=message_id).update(
            state=OutboxMessage.State.SENT, sent_at=timezone.now(), claimed_until=None, attempts=message.attempts + 1)
        sent += 1
    return sent


def _deliver(message: OutboxMessage) -> None:
    global _broker_paused_until
    task = import_string(message.task)
    if task.app.conf.task_always_eager:
        task.apply(args=message.args, throw=True)
        return
    try:
        # No retries here, not even to connect: a message that does not go now waits for the relay.
        with task.app.pool.acquire(block=True, timeout=2) as connection:
            connection.ensure_connection(max_retries=0, timeout=2)
            task.apply_async(args=message.args, connection=connection, retry=False)
    except Exception:
        with _pause_lock:
            _broker_paused_until = time.monotonic() + BROKER_PAUSE_SECONDS
        raise
    with _pause_lock:
        _broker_paused_until = 0.0


def _failed(message: OutboxMessage, error: Exception, now: datetime) -> None:
    attempts = message.attempts + 1
    delay = min(timedelta(seconds=30 * 2 ** (attempts - 1)), BACKOFF_MAX)
    gave_up = attempts >= MAX_ATTEMPTS
    OutboxMessage.objects.filter(pk=message.pk).update(
        attempts=attempts, last_error=f"{type(error).__name__}: {error}"[:2000], claimed_until=None,
        available_at=now + delay, state=OutboxMessage.State.FAILED if gave_up else OutboxMessage.State.PENDING)
    log = logger.error if gave_up else logger.warning
    log("Outbox message %s (%s) failed (attempt %s%s): %s", message.pk, message.task, attempts,
        ", given up" if gave_up else "", error)


def outbox_relay(*, limit: int = 500, now: datetime | None = None) -> int:
    """Send what is pending and due, oldest first; forget messages sent long ago. Returns how many went."""
    now = now or timezone.now()
    due = (OutboxMessage.objects.filter(state=OutboxMessage.State.PENDING, available_at__lte=now)
           .filter(Q(claimed_until=None) | Q(claimed_until__lt=now)).order_by("pk").values_list("pk", flat=True)[:limit])
    sent = outbox_send(message_ids=list(due), now=now)
    OutboxMessage.objects.filter(state=OutboxMessage.State.SENT, sent_at__lt=now - SENT_KEPT_FOR).delete()
    return sent


def outbox_retry_failed() -> int:
    """Give messages that were given up another round of tries (after the cause is fixed)."""
    return OutboxMessage.objects.filter(state=OutboxMessage.State.FAILED).update(
        state=OutboxMessage.State.PENDING, attempts=0, available_at=timezone.now(), claimed_until=None)
