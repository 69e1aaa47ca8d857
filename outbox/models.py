from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """A task to run once the transaction that recorded it has committed.

    Written in the same transaction as the change that calls for it, so a rolled-back change leaves no
    message and a committed one always has its message, whether or not the broker answers then.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    task = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, encoder=DjangoJSONEncoder)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # Not before this time: the next try after a failure backs off.
    available_at = models.DateTimeField(_("available at"), default=timezone.now)
    # Whoever is sending it holds it until then; a sender that died lets go by itself.
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = [models.Index(fields=["state", "available_at"], name="outbox_pending_idx")]

    def __str__(self):
        return f"{self.task}{tuple(self.args)!r} ({self.state})"
