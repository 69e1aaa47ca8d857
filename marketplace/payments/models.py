"""What a payment provider was asked and told: one ``Payment`` per attempt, one ``PaymentEvent`` per
provider event, stored once so that a retried or repeated event never acts twice."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from marketplace.orders.models import MONEY


class Payment(models.Model):
    class Status(models.TextChoices):
        STARTED = "started", _("started")
        SUCCEEDED = "succeeded", _("succeeded")
        FAILED = "failed", _("failed")
        EXPIRED = "expired", _("expired")
        REFUNDED = "refunded", _("refunded")
        # The provider reports money taken that is not the order's total (amount or currency): never
        # "succeeded", so it neither pays the order nor blocks another attempt's correct payment.
        ON_HOLD = "on_hold", _("on hold: to be reviewed by staff")

    order = models.ForeignKey("marketplace.Order", on_delete=models.CASCADE, related_name="payments")
    provider = models.CharField(_("provider"), max_length=30)
    # The provider's name for this attempt (a Stripe Checkout Session id; the order reference offline).
    reference = models.CharField(_("provider reference"), max_length=255)
    # The provider's name for the money once paid (a Stripe PaymentIntent id), used for refunds.
    charge_reference = models.CharField(_("charge reference"), max_length=255, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.STARTED)
    amount = models.DecimalField(_("amount"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3)
    redirect_url = models.URLField(_("payment page"), max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    recorded_by = models.CharField(_("recorded by"), max_length=150, blank=True,
                                   help_text=_("The staff member who recorded an offline payment."))
    hold_reason = models.CharField(_("reason for the hold"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["provider", "reference"], name="payment_unique_reference")]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")

    def __str__(self):
        return f"{self.provider} {self.reference}"


class PaymentEvent(models.Model):
    provider = models.CharField(max_length=30)
    event_id = models.CharField(max_length=255)
    kind = models.CharField(max_length=60)
    order = models.ForeignKey("marketplace.Order", on_delete=models.SET_NULL, null=True, related_name="payment_events")
    outcome = models.CharField(max_length=300)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["received_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["provider", "event_id"], name="payment_event_once")]
        verbose_name = _("payment event")
        verbose_name_plural = _("payment events")

    def __str__(self):
        return f"{self.provider} {self.event_id} {self.kind}"
