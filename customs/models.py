"""The rules of each destination that staff keep current: taxes, thresholds, duties, the right of
withdrawal and product-safety requirements. docs/cross-border.md says where each figure comes from."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from .codes import country_codes_clean

PERCENT = {"max_digits": 6, "decimal_places": 3,
           "validators": [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]}
AMOUNT = {"max_digits": 12, "decimal_places": 2, "null": True, "blank": True,
          "validators": [MinValueValidator(Decimal("0"))]}


class Incoterm(models.TextChoices):
    """Who pays the destination's duties and taxes (Incoterms 2020)."""

    DDP = "DDP", _("DDP: duties and taxes paid at checkout")
    DAP = "DAP", _("DAP: duties and taxes paid by the buyer on delivery")


class CollectionScheme(models.TextChoices):
    """How the marketplace, as deemed supplier, accounts for the tax it collects at sale."""

    NONE = "", _("none: taxes are paid at import")
    IOSS = "ioss", _("EU Import One-Stop Shop (IOSS)")
    UK_VAT = "uk_vat", _("UK VAT registration")


class DestinationRule(ClusterableModel):
    """One destination (a country or a customs union): its consumption tax, the thresholds, its duties
    and the consumer rules that apply to sales shipped there. Every save is a new version; an order
    keeps the version and the figures it was priced with."""

    code = models.SlugField(_("code"), max_length=20, unique=True,
                            help_text=_("A short name that duty rates refer to, e.g. EU, GB, US."))
    name = models.CharField(_("name"), max_length=100)
    countries = models.TextField(_("countries"), help_text=_("ISO 3166 codes separated by commas or spaces."))
    is_sample = models.BooleanField(
        _("sample data"), default=False,
        help_text=_("Loaded as an example. Check every figure against the official source, then untick."))
    currency = models.CharField(_("currency of the thresholds"), max_length=3,
                                help_text=_("The thresholds and flat amounts below are in this currency, e.g. EUR."))
    tax_name = models.CharField(_("name of the tax"), max_length=30, default="VAT", help_text=_("VAT, GST, sales tax…"))
    tax_rate = models.DecimalField(_("standard tax rate (%)"), default=0, **PERCENT)
    tax_collection_threshold = models.DecimalField(
        _("tax collected at sale up to"), **AMOUNT,
        help_text=_("Consignments worth at most this much (goods only) have their tax collected at checkout by "
                    "the marketplace as deemed supplier: EUR 150 for the EU's IOSS, GBP 135 in the UK. "
                    "Empty: never collected at sale."))
    collection_scheme = models.CharField(_("collection scheme"), max_length=10, choices=CollectionScheme.choices,
                                         blank=True)
    tax_de_minimis = models.DecimalField(
        _("no tax at import up to"), **AMOUNT,
        help_text=_("Consignments worth at most this much pay no tax at import. Empty: none."))
    duty_de_minimis = models.DecimalField(
        _("no duty up to"), **AMOUNT,
        help_text=_("Consignments worth at most this much pay no ad valorem duty. Empty: none (the US since 2025)."))
    flat_duty_per_tariff_line = models.DecimalField(
        _("flat duty per tariff line"), **AMOUNT,
        help_text=_("A fixed duty for each distinct HS code of a low-value consignment (the EU's EUR 3 from "
                    "1 July 2026), instead of the ad valorem rate."))
    flat_duty_up_to = models.DecimalField(
        _("flat duty for consignments up to"), **AMOUNT,
        help_text=_("The consignment value up to which the flat duty applies (EUR 150 in the EU)."))
    preferential_origins = models.TextField(
        _("preferential origins"), blank=True,
        help_text=_("Countries of origin whose goods enter duty-free with a statement of origin, e.g. MA "
                    "(EU–Morocco Association Agreement, US–Morocco FTA)."))
    origin_statement_limit = models.DecimalField(
        _("statement on origin by any exporter up to"), **AMOUNT,
        help_text=_("Above this consignment value the statement needs an approved exporter's number "
                    "(EUR 6,000 under the EU–Morocco agreement). Empty: no limit."))
    handling_fee = models.DecimalField(
        _("carrier's fee for collecting on delivery"), **AMOUNT,
        help_text=_("What the carrier charges the buyer to collect duties and taxes at the door (DAP)."))
    ddp_offered = models.BooleanField(
        _("buyers may pay duties and taxes at checkout (DDP)"), default=True)
    business_reverse_charge = models.BooleanField(
        _("VAT-registered businesses account for the tax themselves"), default=False,
        help_text=_("A trade buyer with a verified VAT number of this destination pays no tax to the platform: "
                    "it accounts for the import VAT itself (EU: VAT Directive art. 201; UK: postponed VAT "
                    "accounting). Duties still apply."))
    withdrawal_days = models.PositiveSmallIntegerField(
        _("right of withdrawal (days after delivery)"), null=True, blank=True, validators=[MaxValueValidator(365)],
        help_text=_("14 for consumers in the EU and the UK. Empty: the seller's own return policy applies."))
    product_safety_required = models.BooleanField(
        _("product-safety information required"), default=False,
        help_text=_("The EU's General Product Safety Regulation: no offer without the manufacturer's address, "
                    "a responsible person in the EU, the product's identifier and its warnings."))
    notes = models.TextField(_("sources and notes"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    panels = [
        MultiFieldPanel([FieldPanel("code"), FieldPanel("name"), FieldPanel("countries"), FieldPanel("currency"),
                         FieldPanel("is_sample")], heading=_("Destination")),
        MultiFieldPanel([FieldRowPanel([FieldPanel("tax_name"), FieldPanel("tax_rate")]),
                         FieldPanel("tax_collection_threshold"), FieldPanel("collection_scheme"),
                         FieldPanel("tax_de_minimis"),
                         InlinePanel("tax_rates", label=_("Rate of a country, where it differs"))],
                        heading=_("Tax")),
        MultiFieldPanel([FieldPanel("duty_de_minimis"),
                         FieldRowPanel([FieldPanel("flat_duty_per_tariff_line"), FieldPanel("flat_duty_up_to")]),
                         FieldPanel("preferential_origins"), FieldPanel("origin_statement_limit")],
                        heading=_("Duty")),
        MultiFieldPanel([FieldPanel("ddp_offered"), FieldPanel("handling_fee"), FieldPanel("business_reverse_charge")],
                        heading=_("Delivery terms")),
        MultiFieldPanel([FieldPanel("withdrawal_days"), FieldPanel("product_safety_required")],
                        heading=_("Consumer rules")),
        FieldPanel("notes"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("destination rule")
        verbose_name_plural = _("destination rules")

    def __str__(self):
        return self.name

    @property
    def country_list(self) -> list[str]:
        return self.countries.split(",") if self.countries else []

    @property
    def preferential_origin_list(self) -> list[str]:
        return self.preferential_origins.split(",") if self.preferential_origins else []

    def clean(self):
        errors = {}
        for field in ("countries", "preferential_origins"):
            codes, unknown = country_codes_clean(getattr(self, field))
            if unknown:
                errors[field] = _("Unknown country codes: %(codes)s.") % {"codes": ", ".join(unknown)}
            setattr(self, field, ",".join(codes))
        if not errors.get("countries") and not self.countries:
            errors["countries"] = _("Name at least one country.")
        self.currency = (self.currency or "").upper()
        if self.flat_duty_per_tariff_line is not None and self.flat_duty_up_to is None:
            errors["flat_duty_up_to"] = _("Say up to which consignment value the flat duty applies.")
        if self.tax_collection_threshold is not None and not self.collection_scheme:
            errors["collection_scheme"] = _("Say under which scheme the tax collected at sale is declared.")
        if self.countries and not errors.get("countries"):
            taken = set()
            for rule in DestinationRule.objects.exclude(pk=self.pk).only("countries"):
                taken.update(set(self.country_list) & set(rule.country_list))
            if taken:
                errors["countries"] = _("Already in another rule: %(codes)s.") % {"codes": ", ".join(sorted(taken))}
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if self.pk:
            self.version = (DestinationRule.objects.filter(pk=self.pk).values_list("version", flat=True).first() or 0) + 1
        super().save(*args, **kwargs)


class DestinationTaxRate(Orderable):
    """A member country's own rate inside a union (France 20%, Germany 19%…)."""

    rule = ParentalKey(DestinationRule, on_delete=models.CASCADE, related_name="tax_rates")
    country = models.CharField(_("country"), max_length=2)
    rate = models.DecimalField(_("rate (%)"), **PERCENT)

    panels = [FieldPanel("country"), FieldPanel("rate")]

    class Meta(Orderable.Meta):
        verbose_name = _("country's tax rate")
        verbose_name_plural = _("countries' tax rates")

    def __str__(self):
        return f"{self.country}: {self.rate} %"

    def clean(self):
        self.country = (self.country or "").upper()
        codes, unknown = country_codes_clean(self.country)
        if unknown or len(codes) != 1:
            raise ValidationError({"country": _("Enter one ISO 3166 country code, e.g. FR.")})


class DutyRate(models.Model):
    """The ad valorem duty of a destination on an HS heading or chapter (the longest matching prefix
    wins), loaded from the duty-rate source (CUSTOMS_DUTY_RATE_SOURCE) or typed by staff."""

    destination = models.CharField(_("destination code"), max_length=20,
                                   help_text=_("The destination rule's code, e.g. EU."))
    hs_prefix = models.CharField(_("HS chapter, heading or subheading"), max_length=10,
                                 help_text=_("Digits only: 57 (chapter), 5701 (heading), 570110 (subheading)."))
    rate = models.DecimalField(_("duty (%)"), **PERCENT)
    hs_edition = models.CharField(_("HS edition"), max_length=10, default="HS2022")
    source = models.CharField(_("source"), max_length=200, blank=True)
    is_sample = models.BooleanField(_("sample data"), default=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["destination", "hs_prefix"]
        constraints = [models.UniqueConstraint(fields=["destination", "hs_prefix", "hs_edition"],
                                               name="duty_rate_one_per_prefix")]
        verbose_name = _("duty rate")
        verbose_name_plural = _("duty rates")

    def __str__(self):
        return f"{self.destination} {self.hs_prefix}: {self.rate} %"

    def clean(self):
        self.hs_prefix = "".join(char for char in (self.hs_prefix or "") if char.isdigit())
        if len(self.hs_prefix) not in (2, 4, 6, 8, 10):
            raise ValidationError({"hs_prefix": _("Enter 2, 4, 6, 8 or 10 digits.")})
        self.destination = (self.destination or "").upper()

