"""The hash-chained history of an application: each event's hash covers the one before, so any change
to a past decision shows (``label_chain_first_broken_event``)."""

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from ..models import (
    LabelApplication,
    LabelEvent,
)

GENESIS_HASH = "0" * 64


def _event_hash(*, application_id, position, action, actor_id, public_data, private_data, created_at, previous_hash) -> str:
    content = {
        "application": application_id, "position": position, "action": action, "actor": actor_id,
        "public": public_data, "private": private_data, "created_at": created_at.isoformat(),
        "previous": previous_hash,
    }
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _event_append(application, action, *, actor, public=None, private=None) -> LabelEvent:
    last = application.events.order_by("-position").first()
    event = LabelEvent(
        application=application, position=0 if last is None else last.position + 1, action=action, actor=actor,
        public_data=public or {}, private_data=private or {}, created_at=timezone.now(),
        previous_hash=GENESIS_HASH if last is None else last.hash,
    )
    event.hash = _event_hash(
        application_id=application.pk, position=event.position, action=action, actor_id=getattr(actor, "pk", None),
        public_data=event.public_data, private_data=event.private_data, created_at=event.created_at,
        previous_hash=event.previous_hash,
    )
    event.save()
    LabelApplication.objects.filter(pk=application.pk).update(events_head=event.hash, events_count=event.position + 1)
    return event


def label_chain_first_broken_event(application: LabelApplication) -> LabelEvent | None:
    """The first event of the application's history whose content or link was altered; None if intact.

    When events were removed from the end, an unsaved event named "missing" stands at the first
    missing position.
    """
    application.refresh_from_db(fields=["events_head", "events_count"])
    previous, count = GENESIS_HASH, 0
    for expected_position, event in enumerate(application.events.order_by("position")):
        expected = _event_hash(
            application_id=event.application_id, position=event.position, action=event.action, actor_id=event.actor_id,
            public_data=event.public_data, private_data=event.private_data, created_at=event.created_at,
            previous_hash=event.previous_hash,
        )
        if event.position != expected_position or event.previous_hash != previous or event.hash != expected:
            return event
        previous = event.hash
        count = expected_position + 1
    if (count, previous) != (application.events_count, application.events_head or GENESIS_HASH):
        # The history ends before its recorded head: its last events were removed.
        return LabelEvent(application=application, position=count, action="missing")
    return None
