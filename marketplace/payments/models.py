"""What a payment provider was asked and told: one ``Payment`` per attempt, one ``PaymentEvent`` per
provider event, stored once so that a retried or repeated event never acts twice."""

import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from currency.fields import MONEY


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

    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="payments")
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
    order = models.ForeignKey("orders.Order", on_delete=models.SET_NULL, null=True, related_name="payment_events")
    outcome = models.CharField(max_length=300)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["received_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["provider", "event_id"], name="payment_event_once")]
        verbose_name = _("payment event")
        verbose_name_plural = _("payment events")

    def __str__(self):
        return f"{self.provider} {self.event_id} {self.kind}"


def _tolerance_percent_initial():
    return settings.BANK_TRANSFER_TOLERANCE_PERCENT


def _tolerance_fixed_initial():
    return settings.BANK_TRANSFER_TOLERANCE_FIXED


class BankAccount(models.Model):
    """An account the chamber takes bank transfers on, and the currencies it takes. The buyer is shown
    one that takes the order's currency (sample rows in the demo are marked as such)."""

    bank_name = models.CharField(_("bank"), max_length=120)
    holder = models.CharField(_("account holder"), max_length=200)
    iban = models.CharField(_("IBAN or RIB"), max_length=64, validators=[RegexValidator(
        r"^[A-Za-z0-9 ]{10,64}$", _("Letters, digits and spaces only, as the bank prints it."))])
    swift = models.CharField(_("SWIFT / BIC"), max_length=11, blank=True, validators=[RegexValidator(
        r"^[A-Za-z]{6}[A-Za-z0-9]{2}([A-Za-z0-9]{3})?$", _("8 or 11 letters and digits, e.g. BCMAMAMC."))])
    currencies = models.CharField(_("currencies taken"), max_length=100,
                                  help_text=_("ISO 4217 codes separated by commas or spaces, e.g. MAD, EUR."))
    active = models.BooleanField(_("offered to buyers"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order shown"), default=0)

    panels = [FieldPanel("bank_name"), FieldPanel("holder"), FieldPanel("iban"), FieldPanel("swift"),
              FieldPanel("currencies"), FieldPanel("active"), FieldPanel("sort_order")]

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("bank account")
        verbose_name_plural = _("bank accounts")

    def __str__(self):
        return f"{self.bank_name} – {self.holder} ({', '.join(self.currency_list)})"

    @property
    def currency_list(self) -> list[str]:
        return [code for code in re.split(r"[\s,;]+", self.currencies or "") if code]

    def clean(self):
        codes = [code.upper() for code in re.split(r"[\s,;]+", self.currencies or "") if code]
        wrong = sorted({code for code in codes if not re.fullmatch(r"[A-Z]{3}", code)})
        if wrong or not codes:
            raise ValidationError({"currencies": _("Name the currencies as ISO codes, e.g. MAD, EUR.")})
        self.currencies = ", ".join(dict.fromkeys(codes))
        self.iban = " ".join(self.iban.upper().split())
        self.swift = self.swift.upper()


@register_setting(icon="form")
class BankTransferSettings(BaseGenericSetting):
    """How far short of an order's total a bank transfer may be and still pay it (banks take fees)."""

    tolerance_percent = models.DecimalField(
        # xgettext:no-python-format
        _("tolerance (% of the total)"), max_digits=5, decimal_places=2, default=_tolerance_percent_initial,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(20))])
    tolerance_fixed = models.DecimalField(
        _("tolerance (fixed amount, base currency)"), max_digits=10, decimal_places=2,
        default=_tolerance_fixed_initial, validators=[MinValueValidator(Decimal(0))],
        help_text=_("A transfer short by at most the larger of the two pays the order; the difference is "
                    "recorded as bank fees. Short by more, the buyer is asked for the rest."))

    panels = [FieldPanel("tolerance_percent"), FieldPanel("tolerance_fixed")]

    class Meta:
        verbose_name = _("bank transfers")
        verbose_name_plural = _("bank transfers")

    def __str__(self):
        return str(self._meta.verbose_name)


class BankTransferReceipt(models.Model):
    """Money that arrived on a chamber account for an order, as the bank statement shows it, with its
    value in the order's currency at the stored rate. Several add up."""

    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="bank_receipts",
                              verbose_name=_("order"))
    amount = models.DecimalField(_("amount received"), **MONEY)
    currency = models.CharField(_("currency received"), max_length=3)
    rate = models.DecimalField(_("rate"), max_digits=20, decimal_places=10,
                               help_text=_("Units of the order's currency for one unit received."))
    amount_in_order_currency = models.DecimalField(_("in the order's currency"), **MONEY)
    received_on = models.DateField(_("received on"))
    bank_reference = models.CharField(_("bank reference"), max_length=100, blank=True)
    recorded_by = models.CharField(_("recorded by"), max_length=150)
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["order", "recorded_at", "pk"]
        verbose_name = _("bank transfer received")
        verbose_name_plural = _("bank transfers received")

    def __str__(self):
        return f"{self.order} {self.amount} {self.currency}"
