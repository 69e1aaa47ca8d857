"""Returns of delivered seller parts: what the buyer sends back, why, and the refund it earns."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from currency.fields import MONEY
from marketplace.orders.models import RefundState


class ReturnRequest(models.Model):
    """A buyer's request to send back lines of one delivered seller part, from the request to the
    refund; ``services.returns.TRANSITIONS`` says which step leads where."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("requested")
        AUTHORISED = "authorised", _("authorised")
        REFUSED = "refused", _("refused")
        SENT = "sent", _("sent back")
        RECEIVED = "received", _("received by the seller")
        REFUNDED = "refunded", _("refunded")
        CANCELLED = "cancelled", _("cancelled")

    seller_order = models.ForeignKey("orders.SellerOrder", on_delete=models.PROTECT, related_name="return_requests",
                                     verbose_name=_("seller order"))
    reference = models.CharField(_("reference"), max_length=30, unique=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REQUESTED,
                              db_index=True)
    reason = models.TextField(_("reason"), max_length=1000, blank=True)
    # Within the legal right of withdrawal (a window from the destination rules and no excepted line):
    # the seller must authorise it. Otherwise the seller's own return policy applies and it may refuse.
    legal_withdrawal = models.BooleanField(_("legal right of withdrawal"), default=False)
    withdrawal_days = models.PositiveSmallIntegerField(_("withdrawal period (days)"), null=True, blank=True)
    refusal_reason = models.CharField(_("reason for refusing"), max_length=500, blank=True)

    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    answer_by = models.DateTimeField(_("seller to answer by"))
    escalated_at = models.DateTimeField(_("escalated to the chamber"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by_staff = models.BooleanField(_("decided by the chamber"), default=False)
    sent_at = models.DateTimeField(_("sent back"), null=True, blank=True)
    received_at = models.DateTimeField(_("received"), null=True, blank=True)
    refund_by = models.DateTimeField(_("to be refunded by"), null=True, blank=True)
    refunded_at = models.DateTimeField(_("refunded"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    return_address = models.TextField(_("return address"), blank=True)
    return_carrier = models.CharField(_("return carrier"), max_length=100, blank=True)
    return_tracking_number = models.CharField(_("return tracking number"), max_length=100, blank=True)
    condition_notes = models.TextField(_("condition on receipt"), max_length=1000, blank=True)

    currency = models.CharField(_("currency"), max_length=3)
    refund_goods = models.DecimalField(_("goods refunded"), default=0, **MONEY)
    refund_shipping = models.DecimalField(_("shipping refunded"), default=0, **MONEY)
    refund_charges = models.DecimalField(_("duties and taxes refunded"), default=0, **MONEY)
    refund_amount = models.DecimalField(_("refund"), default=0, **MONEY)
    # Recorded before the provider is asked, like a declined part's refund: nothing refunds twice.
    refund_state = models.CharField(_("refund state"), max_length=10, choices=RefundState.choices, blank=True)
    refund_reference = models.CharField(_("refund reference"), max_length=255, blank=True)
    refund_error = models.CharField(_("refund error"), max_length=300, blank=True)
    refund_attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    # Whether refund_amount is counted in the seller part's ``refunded`` (from the moment the provider is
    # asked, so a provider's refund event arriving first finds it attributed already).
    counted_on_part = models.BooleanField(default=False, editable=False)
    stock_returned = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "answer_by"], name="return_answer_due")]
        verbose_name = _("return")
        verbose_name_plural = _("returns")

    def __str__(self):
        return self.reference


class ReturnLine(models.Model):
    """How many of one order line go back."""

    return_request = models.ForeignKey(ReturnRequest, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey("orders.OrderLine", on_delete=models.PROTECT, related_name="return_lines",
                                   verbose_name=_("order line"))
    quantity = models.PositiveIntegerField(_("quantity"))
    # Made to order or personalised: outside the legal right of withdrawal.
    excepted = models.BooleanField(_("excepted from withdrawal"), default=False)

    class Meta:
        ordering = ["return_request", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["return_request", "order_line"], name="return_line_one_per_order_line"),
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="return_line_quantity_positive"),
        ]
        verbose_name = _("returned line")
        verbose_name_plural = _("returned lines")

    def __str__(self):
        return f"{self.quantity} × {self.order_line.title}"
