"""Trade accounts: a company that buys wholesale (an importer, a shop, a designer, a hotel), its users,
and the proof of its activity that chamber staff check before it sees wholesale prices."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sellers.models import seller_document_storage


class TradeCompany(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("pending verification")
        VERIFIED = "verified", _("verified")
        REJECTED = "rejected", _("rejected")
        SUSPENDED = "suspended", _("suspended")

    legal_name = models.CharField(_("company name"), max_length=200)
    country = models.CharField(_("country"), max_length=2)
    register_number = models.CharField(_("company register number"), max_length=40)
    # Stored normalised (country prefix, no spaces or dots): "NL123456789B01".
    vat_number = models.CharField(_("VAT number"), max_length=20, blank=True, db_index=True)
    eori_number = models.CharField(_("EORI number"), max_length=20, blank=True)
    website = models.URLField(_("website"), blank=True)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES,
                                default=settings.LANGUAGE_CODE,
                                help_text=_("The language the platform writes to the company in."))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING,
                              db_index=True)
    status_reason = models.TextField(_("reason for the status"), blank=True)
    # The VAT number as last checked: True valid, False invalid, None not checked (or the service was down).
    vat_valid = models.BooleanField(_("VAT number valid"), null=True, blank=True)
    vat_checked_at = models.DateTimeField(_("VAT number checked"), null=True, blank=True)
    vat_check_source = models.CharField(_("checked with"), max_length=30, blank=True)
    vat_registered_name = models.CharField(_("name registered for VAT"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("applied"), auto_now_add=True)
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)

    class Meta:
        ordering = ["legal_name", "pk"]
        verbose_name = _("trade company")
        verbose_name_plural = _("trade companies")

    def __str__(self):
        return self.legal_name

    @property
    def is_verified(self) -> bool:
        return self.status == self.Status.VERIFIED


class TradeMember(models.Model):
    """A user who buys for a company. A user belongs to one company at most."""

    class Role(models.TextChoices):
        MANAGER = "manager", _("manager")
        BUYER = "buyer", _("buyer")

    company = models.ForeignKey(TradeCompany, on_delete=models.CASCADE, related_name="members",
                                verbose_name=_("company"))
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="trade_member",
                                verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.BUYER)
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        ordering = ["company", "joined_at", "pk"]
        verbose_name = _("trade company member")
        verbose_name_plural = _("trade company members")

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}, {self.company})"


class TradeDocument(models.Model):
    """Proof of the company's activity: a register extract, a VAT certificate, a shop's lease, an invoice."""

    company = models.ForeignKey(TradeCompany, on_delete=models.CASCADE, related_name="documents",
                                verbose_name=_("company"))
    file = models.FileField(_("file"), upload_to="trade-documents/%Y/%m/", storage=seller_document_storage)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=60)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("trade document")
        verbose_name_plural = _("trade documents")

    def __str__(self):
        return self.original_name


class TradeInvitation(models.Model):
    """A manager's invitation to buy for the company. Nothing is granted until the invitee accepts it
    through the signed link it was sent, signed in with the invited email address."""

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting an answer")
        ACCEPTED = "accepted", _("accepted")
        REVOKED = "revoked", _("withdrawn")

    company = models.ForeignKey(TradeCompany, on_delete=models.CASCADE, related_name="invitations",
                                verbose_name=_("company"))
    email = models.EmailField(_("email"))
    role = models.CharField(_("role"), max_length=20, choices=TradeMember.Role.choices,
                            default=TradeMember.Role.BUYER)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
                                   verbose_name=_("invited by"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("invited at"))
    expires_at = models.DateTimeField(_("expires at"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["company", "email"], condition=Q(status="pending"),
                                    name="trade_invitation_one_pending_per_email"),
        ]
        verbose_name = _("trade company invitation")
        verbose_name_plural = _("trade company invitations")

    def __str__(self):
        return f"{self.email} ({self.company})"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.PENDING and timezone.now() < self.expires_at
