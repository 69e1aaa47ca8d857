from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.models import Orderable

from .countries import country_codes_clean


class ShippingZone(ClusterableModel):
    """Countries shipped to at the same rates; each seller's parcel is priced by its weight band."""

    name = models.CharField(_("name"), max_length=100)
    countries = models.TextField(
        _("countries"), help_text=_("ISO 3166 codes separated by commas or spaces, e.g. FR, BE, DE.")
    )
    transit_days = models.PositiveSmallIntegerField(_("transit time (days)"), default=7)

    panels = [FieldPanel("name"), FieldPanel("countries"), FieldPanel("transit_days"),
              InlinePanel("rates", label=_("Rates by weight"), min_num=1)]

    class Meta:
        ordering = ["name"]
        verbose_name = _("shipping zone")
        verbose_name_plural = _("shipping zones")

    def __str__(self):
        return self.name

    @property
    def country_list(self) -> list[str]:
        return self.countries.split(",") if self.countries else []

    def clean(self):
        codes, unknown = country_codes_clean(self.countries)
        if unknown:
            raise ValidationError({"countries": _("Unknown country codes: %(codes)s.") % {"codes": ", ".join(unknown)}})
        if not codes:
            raise ValidationError({"countries": _("Name at least one country.")})
        taken = set()
        for zone in ShippingZone.objects.exclude(pk=self.pk):
            taken.update(set(codes) & set(zone.country_list))
        if taken:
            raise ValidationError({"countries": _("Already in another zone: %(codes)s.") % {"codes": ", ".join(sorted(taken))}})
        self.countries = ",".join(codes)


class ShippingRate(Orderable):
    """The price of one parcel up to a weight, in the base currency."""

    zone = ParentalKey(ShippingZone, on_delete=models.CASCADE, related_name="rates")
    max_weight_grams = models.PositiveIntegerField(_("up to (g)"), validators=[MinValueValidator(1)])
    price = models.DecimalField(_("price"), max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0"))])

    panels = [FieldPanel("max_weight_grams"), FieldPanel("price")]

    class Meta(Orderable.Meta):
        verbose_name = _("rate")
        verbose_name_plural = _("rates")

    def __str__(self):
        return f"≤ {self.max_weight_grams} g: {self.price}"


def countries_excluded_initial() -> str:
    """The exclusion list a deployment starts with: its COUNTRIES_EXCLUDED setting (EH in Morocco)."""
    return ", ".join(settings.COUNTRIES_EXCLUDED)


@register_setting(icon="globe")
class CountrySettings(BaseGenericSetting):
    """Which countries this deployment never offers, in any country list (basket, checkout, addresses)."""

    CACHE_KEY = "countries-excluded"

    excluded = models.TextField(
        _("countries not offered"), blank=True, default=countries_excluded_initial,
        help_text=_("ISO 3166 codes separated by commas or spaces, e.g. EH. They are left out of every "
                    "country list and no order is shipped there."))

    panels = [FieldPanel("excluded")]

    class Meta:
        verbose_name = _("countries")
        verbose_name_plural = _("countries")

    def __str__(self):
        return str(self._meta.verbose_name)

    def clean(self):
        codes, unknown = country_codes_clean(self.excluded)
        if unknown:
            raise ValidationError({"excluded": _("Unknown country codes: %(codes)s.") % {"codes": ", ".join(unknown)}})
        self.excluded = ", ".join(codes)

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        cache.delete(self.CACHE_KEY)

    @classmethod
    def excluded_codes(cls) -> frozenset[str]:
        codes = cache.get(cls.CACHE_KEY)
        if codes is None:
            codes, _unknown = country_codes_clean(cls.load().excluded)
            cache.set(cls.CACHE_KEY, codes, 300)
        return frozenset(codes)
