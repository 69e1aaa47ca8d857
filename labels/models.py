"""Quality label schemes: the national label, collective marks and geographical indications.

Applications, inspections and certificates (with their hash-chained history) build on these.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from sellers.models import Country, LocalizedNameMixin, localized_name, seller_document_storage


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
    """An optional grade of a scheme (e.g. bronze, silver, gold). Certificates store the English
    name; buyers and sellers read it in their language (``label_level_name``)."""

    scheme = ParentalKey(LabelScheme, on_delete=models.CASCADE, related_name="levels")
    name = models.CharField(_("level (English)"), max_length=60)
    name_fr = models.CharField(_("level (French)"), max_length=60, blank=True)
    name_ar = models.CharField(_("level (Arabic)"), max_length=60, blank=True)

    panels = [FieldPanel("name"), FieldPanel("name_fr"), FieldPanel("name_ar")]

    class Meta(Orderable.Meta):
        verbose_name = _("level")
        verbose_name_plural = _("levels")

    def __str__(self):
        return self.localized_name

    @property
    def localized_name(self) -> str:
        return localized_name(self.name, self.name_fr, self.name_ar)


class LabelApplication(models.Model):
    """A seller's request that a scheme's label be granted to some of its products."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        ASSIGNED = "assigned", _("assigned to an inspector")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    scheme = models.ForeignKey(LabelScheme, on_delete=models.PROTECT, related_name="applications", verbose_name=_("scheme"))
    seller = models.ForeignKey("sellers.Seller", on_delete=models.PROTECT, related_name="label_applications", verbose_name=_("seller"))
    products = models.ManyToManyField("catalog.Product", related_name="label_applications", verbose_name=_("products"))
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("applicant")
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("inspector")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED, db_index=True)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    statement = models.TextField(
        _("statement"), blank=True, help_text=_("How the products are made and why they meet the scheme's criteria.")
    )
    # The hash and number of the history's events, so that a removed last event is noticed too.
    events_head = models.CharField(max_length=64, blank=True)
    events_count = models.PositiveIntegerField(default=0)
    renews = models.ForeignKey(
        "LabelCertificate", on_delete=models.PROTECT, null=True, blank=True, related_name="renewals",
        verbose_name=_("renews certificate"),
    )

    class Meta:
        ordering = ["submitted_at", "pk"]
        verbose_name = _("label application")
        verbose_name_plural = _("label applications")

    def __str__(self):
        return f"{self.scheme} — {self.seller}"


class LabelCertificate(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        SUSPENDED = "suspended", _("suspended")
        REVOKED = "revoked", _("revoked")
        EXPIRED = "expired", _("expired")

    number = models.CharField(_("number"), max_length=32, unique=True)
    application = models.OneToOneField(LabelApplication, on_delete=models.PROTECT, related_name="certificate")
    scheme = models.ForeignKey(LabelScheme, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("scheme"))
    seller = models.ForeignKey("sellers.Seller", on_delete=models.PROTECT, related_name="label_certificates")
    products = models.ManyToManyField("catalog.Product", related_name="label_certificates", verbose_name=_("products"))
    level = models.CharField(_("level"), max_length=60, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE, db_index=True)
    status_reason = models.TextField(_("reason for the status"), blank=True)
    revocation_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("revocation requested by"),
    )
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)

    class Meta:
        ordering = ["-valid_from", "number"]
        verbose_name = _("label certificate")
        verbose_name_plural = _("label certificates")

    def __str__(self):
        return self.number


class LabelInspection(models.Model):
    """An inspector's visit: a verdict and notes per criterion of the scheme, and evidence photos.
    Private to inspectors and staff; only its existence appears in the public history."""

    application = models.ForeignKey(LabelApplication, on_delete=models.PROTECT, related_name="inspections")
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("inspector"))
    visit_date = models.DateField(_("visit date"))
    notes = models.TextField(_("notes"), blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "pk"]
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")

    def __str__(self):
        return f"{self.application} — {self.visit_date}"

    @property
    def required_criteria_met(self) -> bool:
        return all(verdict.verdict == LabelCriterionVerdict.Verdict.MET for verdict in self.verdicts.all() if verdict.required)


class LabelCriterionVerdict(models.Model):
    """The verdict on one criterion; the criterion's text is copied so later edits of the scheme do
    not change what was inspected."""

    class Verdict(models.TextChoices):
        MET = "met", _("met")
        NOT_MET = "not_met", _("not met")
        NOT_APPLICABLE = "not_applicable", _("not applicable")

    inspection = models.ForeignKey(LabelInspection, on_delete=models.CASCADE, related_name="verdicts")
    criterion = models.ForeignKey(LabelCriterion, on_delete=models.SET_NULL, null=True, related_name="+")
    criterion_text = models.CharField(_("criterion"), max_length=300)
    required = models.BooleanField(_("required"))
    verdict = models.CharField(_("verdict"), max_length=20, choices=Verdict.choices)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["inspection", "pk"]
        verbose_name = _("verdict")
        verbose_name_plural = _("verdicts")

    def __str__(self):
        return f"{self.criterion_text}: {self.get_verdict_display()}"


class LabelEvidence(models.Model):
    """A photo or document backing an application (from the seller) or an inspection (from the
    inspector). Private: served only to the seller's members, inspectors and staff."""

    application = models.ForeignKey(LabelApplication, on_delete=models.CASCADE, related_name="evidence")
    inspection = models.ForeignKey(LabelInspection, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence")
    file = models.FileField(_("file"), upload_to="label-evidence/%Y/%m/", storage=seller_document_storage)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=60)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self):
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class CertificateSequence(models.Model):
    """The last number issued per country, scheme and year (certificate numbers never repeat)."""

    country = models.CharField(max_length=2)
    scheme_code = models.CharField(max_length=5)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["country", "scheme_code", "year"], name="certificate_sequence_unique")]

    def __str__(self):
        return f"{self.country}-{self.scheme_code}-{self.year}: {self.last}"


class LabelEvent(models.Model):
    """One decision in an application's life, append-only; its hash covers its content and the
    previous event's hash, so altering or removing any event breaks the chain from there on."""

    application = models.ForeignKey(LabelApplication, on_delete=models.PROTECT, related_name="events")
    position = models.PositiveIntegerField()
    action = models.CharField(max_length=30)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    public_data = models.JSONField(default=dict, blank=True)
    private_data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["application_id", "position"]
        constraints = [models.UniqueConstraint(fields=["application", "position"], name="label_event_unique_position")]

    def __str__(self):
        return f"{self.application_id}#{self.position} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("Label events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Label events are append-only.")
