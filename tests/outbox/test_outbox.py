"""The transactional outbox: a task is recorded with the write that calls for it, sent after the commit,
and kept for the relay when it cannot go (a broker down, a task failing when run eagerly)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from outbox import services
from outbox.models import OutboxMessage
from outbox.services import outbox_enqueue, outbox_relay, outbox_retry_failed
from tests.factories.sellers import SellerFactory

pytestmark = pytest.mark.django_db

EMAIL_TASK = "sellers.tasks.seller_email_send"


@pytest.fixture(autouse=True)
def _broker_not_paused(monkeypatch):
    monkeypatch.setattr(services, "_broker_paused_until", 0.0)


class TestEnqueue:
    def test_an_unknown_task_fails_at_once(self):
        with pytest.raises(ImportError):
            outbox_enqueue("sellers.tasks.no_such_task", 1)

    def test_a_rolled_back_write_leaves_no_message_and_runs_nothing(self, django_capture_on_commit_callbacks):
        seller = SellerFactory()
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
            outbox_enqueue(EMAIL_TASK, seller.pk, "registered")
            raise RuntimeError("the write failed")
        assert not OutboxMessage.objects.exists()
        assert not mail.outbox

    def test_a_committed_write_runs_its_task_and_marks_it_sent(self, django_capture_on_commit_callbacks):
        seller = SellerFactory()
        with django_capture_on_commit_callbacks(execute=True):
            message = outbox_enqueue(EMAIL_TASK, seller.pk, "registered")
        message.refresh_from_db()
        assert message.state == OutboxMessage.State.SENT and message.sent_at and message.attempts == 1
        assert len(mail.outbox) == 1 and mail.outbox[0].to == [seller.email]


class TestFailures:
    def test_a_failing_task_never_fails_the_caller_and_stays_pending(self, django_capture_on_commit_callbacks, monkeypatch):
        seller = SellerFactory()
        monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages",
                            lambda self, messages: (_ for _ in ()).throw(OSError("mail server down")))
        with django_capture_on_commit_callbacks(execute=True):
            message = outbox_enqueue(EMAIL_TASK, seller.pk, "registered")  # no exception reaches here
        message.refresh_from_db()
        assert message.state == OutboxMessage.State.PENDING and message.attempts == 1
        assert "mail server down" in message.last_error
        assert message.available_at > timezone.now()  # backs off before the next try

    def test_the_relay_sends_it_once_the_cause_is_gone(self, monkeypatch):
        seller = SellerFactory()
        message = OutboxMessage.objects.create(task=EMAIL_TASK, args=[seller.pk, "registered"], attempts=3,
                                               available_at=timezone.now() - timedelta(seconds=1))
        assert outbox_relay() == 1
        message.refresh_from_db()
        assert message.state == OutboxMessage.State.SENT and len(mail.outbox) == 1
        assert outbox_relay() == 0  # never twice
        assert len(mail.outbox) == 1

    def test_the_relay_waits_for_the_back_off(self):
        seller = SellerFactory()
        OutboxMessage.objects.create(task=EMAIL_TASK, args=[seller.pk, "registered"],
                                     available_at=timezone.now() + timedelta(minutes=5))
        assert outbox_relay() == 0 and not mail.outbox

    def test_a_message_held_by_another_sender_is_left_alone_until_its_claim_lapses(self):
        seller = SellerFactory()
        now = timezone.now()
        OutboxMessage.objects.create(task=EMAIL_TASK, args=[seller.pk, "registered"],
                                     claimed_until=now + timedelta(seconds=60))
        assert outbox_relay(now=now) == 0
        assert outbox_relay(now=now + timedelta(seconds=61)) == 1

    def test_after_the_last_attempt_it_is_given_up_then_retried_on_demand(self, monkeypatch):
        seller = SellerFactory()
        message = OutboxMessage.objects.create(task=EMAIL_TASK, args=[seller.pk, "registered"],
                                               attempts=services.MAX_ATTEMPTS - 1)
        monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages",
                            lambda self, messages: (_ for _ in ()).throw(OSError("mail server down")))
        outbox_relay()
        message.refresh_from_db()
        assert message.state == OutboxMessage.State.FAILED
        monkeypatch.undo()
        services._broker_paused_until = 0.0
        assert outbox_retry_failed() == 1
        assert outbox_relay() == 1 and len(mail.outbox) == 1

    def test_messages_sent_long_ago_are_forgotten(self):
        now = timezone.now()
        old = OutboxMessage.objects.create(task=EMAIL_TASK, args=[1], state=OutboxMessage.State.SENT,
                                           sent_at=now - timedelta(days=8))
        recent = OutboxMessage.objects.create(task=EMAIL_TASK, args=[1], state=OutboxMessage.State.SENT,
                                              sent_at=now - timedelta(days=1))
        outbox_relay(now=now)
        assert not OutboxMessage.objects.filter(pk=old.pk).exists()
        assert OutboxMessage.objects.filter(pk=recent.pk).exists()


class TestBrokerDown:
    def test_a_broker_that_refuses_leaves_the_message_pending_and_the_caller_unharmed(
            self, settings, django_capture_on_commit_callbacks, celery_app_on_closed_port):
        seller = SellerFactory()
        with django_capture_on_commit_callbacks(execute=True):
            message = outbox_enqueue(EMAIL_TASK, seller.pk, "registered")
        message.refresh_from_db()
        assert message.state == OutboxMessage.State.PENDING and message.attempts == 1
        assert "OperationalError" in message.last_error
        assert not mail.outbox

    def test_after_one_refusal_a_web_process_leaves_the_next_messages_to_the_relay(
            self, django_capture_on_commit_callbacks, celery_app_on_closed_port):
        seller = SellerFactory()
        with django_capture_on_commit_callbacks(execute=True):
            first = outbox_enqueue(EMAIL_TASK, seller.pk, "registered")
            second = outbox_enqueue(EMAIL_TASK, seller.pk, "verified")
        first.refresh_from_db()
        second.refresh_from_db()
        assert first.attempts == 1 and second.attempts == 0  # not tried: the broker was just found down
        assert second.state == OutboxMessage.State.PENDING
