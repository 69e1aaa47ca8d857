"""Quality label schemes: the national label, collective marks and geographical indications.

Applications, inspections and certificates (with their hash-chained history) build on these.
"""

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from sellers.models import Country, LocalizedNameMixin


class LabelScheme(LocalizedNameMixin, ClusterableModel):
    class Kind(models.TextChoices):
        NATIONAL_LABEL = "national_label", _("national label")
        COLLECTIVE_MARK = "collective_mark", _("collective mark")
        GEOGRAPHICAL_INDICATION = "geographical_indication", _("geographical indication")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    code = models.CharField(
        _("code"), max_length=5, unique=True,
        validators=[RegexValidator(r"^[A-Z]{2,5}$", _("Two to five capital letters, e.g. LNA."))],
        help_text=_("Used in certificate numbers, e.g. MA-LNA-2026-000123."),
    )
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    issuing_body = models.CharField(_("issuing body"), max_length=200)
    logo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("logo")
    )
    description = models.TextField(_("description"), blank=True)
    validity_months = models.PositiveSmallIntegerField(
        _("validity (months)"), validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("How long a certificate is valid before it must be renewed."),
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("name"), FieldPanel("name_fr"), FieldPanel("name_ar"), FieldPanel("kind"), FieldPanel("code")],
            heading=_("Scheme"),
        ),
        MultiFieldPanel(
            [FieldPanel("country"), FieldPanel("issuing_body"), FieldPanel("logo"), FieldPanel("description"),
             FieldPanel("validity_months")],
            heading=_("Issuing and validity"),
        ),
        InlinePanel("criteria", label=_("Criteria"), min_num=1),
        InlinePanel("levels", label=_("Levels")),
    ]

    class Meta:
        ordering = ["country", "name"]
        verbose_name = _("label scheme")
        verbose_name_plural = _("label schemes")

    def __str__(self):
        return self.localized_name


class LabelCriterion(Orderable):
    """One point an inspection is scored against."""

    scheme = ParentalKey(LabelScheme, on_delete=models.CASCADE, related_name="criteria")
    text = models.CharField(_("criterion"), max_length=300)
    required = models.BooleanField(_("required"), default=True, help_text=_("A required criterion must be met to approve."))

    panels = [FieldPanel("text"), FieldPanel("required")]

    class Meta(Orderable.Meta):
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self):
        return self.text


class LabelLevel(Orderable):
    """An optional grade of a scheme (e.g. bronze, silver, gold)."""

    scheme = ParentalKey(LabelScheme, on_delete=models.CASCADE, related_name="levels")
    name = models.CharField(_("level"), max_length=60)

    panels = [FieldPanel("name")]

    class Meta(Orderable.Meta):
        verbose_name = _("level")
        verbose_name_plural = _("levels")

    def __str__(self):
        return self.name
