from decimal import Decimal

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExchangeRate(models.Model):
    """Units of a currency for one euro, as the rate source last gave it. Every conversion reads
    these (never the network); ``exchange_rates_refresh`` replaces them."""

    currency = models.CharField(
        _("currency"), max_length=3, primary_key=True, validators=[RegexValidator(r"^[A-Z]{3}$")]
    )
    per_euro = models.DecimalField(
        _("units for one euro"), max_digits=18, decimal_places=8, validators=[MinValueValidator(Decimal("0.00000001"))]
    )
    as_of = models.DateField(_("rate date"))
    source = models.CharField(_("source"), max_length=100)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["currency"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")

    def __str__(self):
        return f"1 EUR = {self.per_euro.normalize()} {self.currency} ({self.as_of})"
