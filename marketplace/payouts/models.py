"""What the platform owes each seller for its delivered parts, and where it is sent."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from currency.fields import MONEY


class SellerPayout(models.Model):
    """What the platform owes a seller for a delivered part: its products less the commission, plus the
    shipping it paid the carrier for, in the base currency."""

    class Status(models.TextChoices):
        OWED = "owed", _("owed")
        SENDING = "sending", _("being transferred")
        TRANSFERRED = "transferred", _("transferred")
        FAILED = "failed", _("transfer failed")
        PAID = "paid", _("paid by the chamber")
        # Its goods were refunded to the buyer before it was paid: nothing is owed.
        CANCELLED = "cancelled", _("cancelled: goods refunded")

    seller_order = models.OneToOneField("orders.SellerOrder", on_delete=models.PROTECT, related_name="payout")
    seller = models.ForeignKey("sellers.Seller", on_delete=models.PROTECT, related_name="payouts",
                               verbose_name=_("seller"))
    currency = models.CharField(_("currency"), max_length=3)
    products = models.DecimalField(_("products"), **MONEY)
    commission_rate = models.DecimalField(_("commission rate"), max_digits=6, decimal_places=4)
    commission = models.DecimalField(_("commission"), **MONEY)
    shipping = models.DecimalField(_("shipping"), **MONEY)
    # What this payout withholds to recover refunds made after earlier payouts were paid (clawbacks).
    clawback = models.DecimalField(_("withheld for earlier refunds"), default=0, **MONEY)
    amount = models.DecimalField(_("amount owed"), **MONEY)
    delivered_at = models.DateTimeField(_("delivered"), db_index=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OWED, db_index=True)
    transfer_reference = models.CharField(_("transfer reference"), max_length=255, blank=True)
    error = models.CharField(_("last error"), max_length=300, blank=True)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    paid_by = models.CharField(_("recorded by"), max_length=150, blank=True)

    class Meta:
        ordering = ["-delivered_at", "pk"]
        verbose_name = _("payout")
        verbose_name_plural = _("payouts")

    def __str__(self):
        return f"{self.seller_order} {self.amount} {self.currency}"


class SellerPayoutAccount(models.Model):
    """A seller's account at a payment provider that can receive transfers (a Stripe Connect account)."""

    seller = models.OneToOneField("sellers.Seller", on_delete=models.CASCADE, related_name="payout_account",
                                  verbose_name=_("seller"))
    provider = models.CharField(_("payment provider"), max_length=30)
    account_reference = models.CharField(_("account"), max_length=255,
                                         help_text=_("The provider's id of the seller's account, e.g. acct_1ABC…"))

    class Meta:
        verbose_name = _("payout account")
        verbose_name_plural = _("payout accounts")

    def __str__(self):
        return f"{self.seller} {self.provider}"


class SellerPayoutClawback(models.Model):
    """Money a seller owes back: a part refunded (a return) after its payout was paid. Later payouts of
    the seller withhold it (``SellerPayout.clawback``) until it is recovered, never below zero."""

    seller = models.ForeignKey("sellers.Seller", on_delete=models.PROTECT, related_name="payout_clawbacks",
                               verbose_name=_("seller"))
    seller_order = models.ForeignKey("orders.SellerOrder", on_delete=models.PROTECT, related_name="payout_clawbacks",
                                     verbose_name=_("seller order"))
    currency = models.CharField(_("currency"), max_length=3)
    amount = models.DecimalField(_("to recover"), **MONEY)
    recovered = models.DecimalField(_("recovered"), default=0, **MONEY)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(recovered__lte=models.F("amount")) & models.Q(recovered__gte=0),
                                              name="payout_clawback_recovered_within_amount")]
        verbose_name = _("clawback")
        verbose_name_plural = _("clawbacks")

    def __str__(self):
        return f"{self.seller_order} −{self.amount} {self.currency}"

    @property
    def outstanding(self):
        return self.amount - self.recovered
