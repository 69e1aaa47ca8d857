from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.fields import RichTextField
from wagtail.models import TranslatableMixin

from config.storage import private_storage

from .registers import register_format, register_number_clean, register_number_normalise
from .validators import validate_name_text


class Country(models.TextChoices):
    MOROCCO = "MA", _("Morocco")
    CAMEROON = "CM", _("Cameroon")


def localized_name(name: str, name_fr: str = "", name_ar: str = "") -> str:
    """The name in the active language, or the English one where it has none."""
    language = (get_language() or "en")[:2]
    return {"fr": name_fr, "ar": name_ar}.get(language) or name


def is_arabic_script(text: str) -> bool:
    """Whether most of the letters of ``text`` are Arabic-script letters."""
    letters = [char for char in text if char.isalpha()]
    arabic = sum(1 for char in letters if "\u0600" <= char <= "\u06ff" or "\u0750" <= char <= "\u077f"
                 or "\u08a0" <= char <= "\u08ff" or "\ufb50" <= char <= "\ufdff" or "\ufe70" <= char <= "\ufeff")
    return bool(letters) and arabic * 2 > len(letters)


def seller_display_name(legal_name: str, name_alternate: str = "") -> str:
    """The seller's name in the active language's script: the alternate name when the legal name is in
    the other script (an Arabic name on an English or French page, a Latin one on an Arabic page)."""
    if not name_alternate:
        return legal_name
    arabic_page = (get_language() or "").startswith("ar")
    if is_arabic_script(legal_name) != arabic_page and is_arabic_script(name_alternate) == arabic_page:
        return name_alternate
    return legal_name


class LocalizedNameMixin(models.Model):
    """A name in English, French and Arabic; ``localized_name`` picks the active language's."""

    name = models.CharField(_("name (English)"), max_length=150)
    name_fr = models.CharField(_("name (French)"), max_length=150, blank=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=150, blank=True)

    class Meta:
        abstract = True

    @property
    def localized_name(self) -> str:
        return localized_name(self.name, self.name_fr, self.name_ar)


class Region(LocalizedNameMixin):
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    code = models.CharField(_("code"), max_length=10, unique=True, help_text=_("ISO 3166-2 code, e.g. MA-07"))

    class Meta:
        ordering = ["country", "code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.localized_name


class Trade(LocalizedNameMixin):
    """One node of a country's trade nomenclature: a sector, a branch or an activity."""

    class Level(models.IntegerChoices):
        SECTOR = 1, _("sector")
        BRANCH = 2, _("branch")
        ACTIVITY = 3, _("activity")

    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    code = models.CharField(_("code"), max_length=20)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )

    class Meta:
        ordering = ["country", "code"]
        constraints = [models.UniqueConstraint(fields=["country", "code"], name="trade_unique_code_per_country")]
        verbose_name = _("trade")
        verbose_name_plural = _("trades")

    def __str__(self):
        return self.localized_name

    def clean(self):
        if self.parent_id is None and self.level != self.Level.SECTOR:
            raise ValidationError({"parent": _("Only a sector has no parent.")})
        if self.parent is not None:
            if self.parent.level != self.level - 1:
                raise ValidationError({"parent": _("The parent must be one level above.")})
            if self.parent.country != self.country:
                raise ValidationError({"parent": _("The parent must be in the same country.")})


class Seller(models.Model):
    class Kind(models.TextChoices):
        COOPERATIVE = "cooperative", _("cooperative")
        ARTISAN = "artisan", _("artisan")
        MASTER_ARTISAN = "master_artisan", _("master artisan (maâlem)")
        ENTERPRISE = "enterprise", _("craft enterprise")

    class Status(models.TextChoices):
        PENDING = "pending", _("pending verification")
        AWAITING_REGISTRATION = "awaiting_registration", _("awaiting registration")
        VERIFIED = "verified", _("verified")
        REJECTED = "rejected", _("rejected")
        SUSPENDED = "suspended", _("suspended")

    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    legal_name = models.CharField(_("legal name"), max_length=200, validators=[validate_name_text], db_index=True)  # the admin lists sellers by name
    name_alternate = models.CharField(
        _("name in another script"), max_length=200, blank=True, validators=[validate_name_text],
        help_text=_("The legal name written in the other script, e.g. a Latin transliteration of an Arabic name "
                    "(or the Arabic spelling of a Latin one). Shown to visitors who read the other script."),
    )
    slug = models.SlugField(_("slug"), max_length=120, unique=True, allow_unicode=True)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    register_number = models.CharField(
        _("register number"), max_length=40, blank=True, help_text=_("National artisan, cooperative or company register number.")
    )
    register_number_normalised = models.CharField(max_length=40, blank=True, editable=False, db_index=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="sellers", verbose_name=_("region"))
    city = models.CharField(_("town or village"), max_length=120, blank=True, validators=[validate_name_text])
    trades = models.ManyToManyField(Trade, related_name="sellers", blank=True, verbose_name=_("trades"))
    status = models.CharField(_("status"), max_length=30, choices=Status.choices, default=Status.PENDING, db_index=True)
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True, validators=[validate_name_text])
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    founded_year = models.PositiveSmallIntegerField(_("founded in"), null=True, blank=True)
    # A cooperative's members, as its register gives them; left empty where unknown (sector statistics).
    members_women = models.PositiveIntegerField(_("women members"), null=True, blank=True)
    members_men = models.PositiveIntegerField(_("men members"), null=True, blank=True)
    trusted = models.BooleanField(
        _("trusted"), default=False, help_text=_("Trusted sellers publish listings without the chamber's review.")
    )
    status_reason = models.TextField(_("reason for the status"), blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE,
        help_text=_("The language the platform writes to the seller in."),
    )
    # Trader and manufacturer information an EU offer needs (GPSR art. 19, DSA art. 30).
    postal_address = models.TextField(
        _("postal address"), blank=True,
        help_text=_("Where the manufacturer can be reached by post: shown on every product page."))
    contact_email = models.EmailField(
        _("public contact email"), blank=True,
        help_text=_("Where buyers and authorities can reach the manufacturer: shown on every product page."))
    eu_responsible_person = models.TextField(
        _("responsible person in the EU"), blank=True,
        help_text=_("Name, postal address and email of the economic operator established in the EU who answers for "
                    "the products there. Empty: the platform's responsible person, where the chamber acts as one."))
    # The seller's own return policy, for buyers outside the countries with a legal right of withdrawal.
    return_policy = models.TextField(
        _("return policy"), blank=True,
        help_text=_("What buyers outside the EU and the UK may return, within how long and at whose cost."))
    return_address = models.TextField(_("return address"), blank=True,
                                      help_text=_("Where returned goods are sent, if not the postal address."))
    # Rules of origin: above the limit of the agreement, only an approved exporter may make the
    # statement on origin on the invoice.
    approved_exporter_number = models.CharField(
        _("approved exporter number"), max_length=40, blank=True,
        help_text=_("Given by customs; needed on invoices of consignments above the limit of the trade agreement."))
    # Wholesale terms: what a trade buyer's part must reach, and how fast made-to-order work goes.
    first_order_minimum = models.DecimalField(
        _("first order minimum"), max_digits=12, decimal_places=2, default=0, db_default=0,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("The least a trade buyer's first order from you must come to (products only, in the "
                    "platform's base currency). 0: none."))
    reorder_minimum = models.DecimalField(
        _("reorder minimum"), max_digits=12, decimal_places=2, default=0, db_default=0,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("The least a trade buyer's later orders must come to, once it has paid one. 0: none."))
    made_to_order_capacity = models.PositiveIntegerField(
        _("made-to-order units a week"), null=True, blank=True, validators=[MinValueValidator(1)],
        help_text=_("How many made-to-order units you can make in a week: a bigger order takes that many "
                    "more weeks. Empty: the lead time whatever the quantity."))
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)

    class Meta:
        ordering = ["legal_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["register_number_normalised"],
                condition=~Q(register_number_normalised=""),
                name="seller_unique_register_number",
                violation_error_message=_("A seller with this register number is already registered."),
            )
        ]
        verbose_name = _("seller")
        verbose_name_plural = _("sellers")

    def __str__(self):
        return self.legal_name

    def save(self, *args, **kwargs):
        self.register_number = register_number_clean(self.register_number)
        self.register_number_normalised = register_number_normalise(self.register_number)
        if not self.slug:
            self.slug = slugify(self.legal_name, allow_unicode=True)[:120]
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        self.register_number = register_number_clean(self.register_number)
        self.register_number_normalised = register_number_normalise(self.register_number)
        expected = register_format(self.country, self.kind) if self.country and self.kind else None
        if self.register_number and expected and not expected.matches(self.register_number):
            errors["register_number"] = _("This is not a valid %(register)s number. Expected a number like %(example)s.") % {
                "register": expected.register_name,
                "example": expected.example,
            }
        if self.region_id and self.country and self.region.country != self.country:
            errors["region"] = _("This region is not in the seller's country.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_verified(self) -> bool:
        return self.status == self.Status.VERIFIED

    @property
    def display_name(self) -> str:
        """The name in the script of the active language: the alternate name when the legal name is
        written in the other script (Arabic on an English or French page, Latin on an Arabic one)."""
        return seller_display_name(self.legal_name, self.name_alternate)


class SellerMember(models.Model):
    class Role(models.TextChoices):
        MANAGER = "manager", _("manager")
        MEMBER = "member", _("member")

    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="members", verbose_name=_("seller"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="seller_memberships", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["seller", "user"], name="seller_member_unique_user")]
        verbose_name = _("seller member")
        verbose_name_plural = _("seller members")

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}, {self.seller})"


class PastSellerMembership(models.Model):
    """A membership that ended: kept so that what someone was, and when, outlives their removal (a
    label inspector's conflict of interest is judged on the membership as of an application's date)."""

    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="past_members", verbose_name=_("seller"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="past_seller_memberships", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=20, choices=SellerMember.Role.choices)
    joined_at = models.DateTimeField(_("joined at"))
    left_at = models.DateTimeField(_("left at"))

    class Meta:
        ordering = ["-left_at"]
        indexes = [models.Index(fields=["seller", "user"], name="past_member_seller_user")]
        verbose_name = _("past seller membership")
        verbose_name_plural = _("past seller memberships")

    def __str__(self):
        return f"{self.user} ({self.seller}, {self.joined_at:%Y-%m-%d}–{self.left_at:%Y-%m-%d})"


class SellerInvitation(models.Model):
    """A manager's invitation to join a seller. Nothing is granted until the invitee accepts it
    through the signed link it was sent, logged in as the account with the invited email."""

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting an answer")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        REVOKED = "revoked", _("withdrawn")

    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("seller"))
    email = models.EmailField(_("email"))
    role = models.CharField(_("role"), max_length=20, choices=SellerMember.Role.choices, default=SellerMember.Role.MEMBER)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("invited by")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("invited at"))
    expires_at = models.DateTimeField(_("expires at"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("answered by"),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["seller", "email"], condition=Q(status="pending"), name="seller_invitation_one_pending_per_email"
            )
        ]
        verbose_name = _("seller invitation")
        verbose_name_plural = _("seller invitations")

    def __str__(self):
        return f"{self.email} ({self.get_role_display()}, {self.seller})"

    def is_expired(self, now=None) -> bool:
        return (now or timezone.now()) >= self.expires_at

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.PENDING and not self.is_expired()


def seller_document_storage():
    """Supporting documents are private: kept outside MEDIA_ROOT and served only by a permission-checked view."""
    return private_storage


class SellerDocument(models.Model):
    """A supporting document of a registration: a register certificate, an ID, a cooperative's statutes."""

    class Kind(models.TextChoices):
        REGISTER_CERTIFICATE = "register_certificate", _("register certificate")
        IDENTITY = "identity", _("identity document")
        STATUTES = "statutes", _("statutes or founding document")
        OTHER = "other", _("other")

    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="documents", verbose_name=_("seller"))
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.OTHER)
    file = models.FileField(_("file"), upload_to="seller-documents/%Y/%m/", storage=seller_document_storage)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=60)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("seller document")
        verbose_name_plural = _("seller documents")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.original_name}"


class HeldRegistrationUpload(models.Model):
    """A document attached to a registration form that had an error, kept privately for the same
    browser session until the form is sent again (or it expires, see ``SELLER_HELD_UPLOAD_HOURS``)."""

    token = models.CharField(_("token"), max_length=64, db_index=True)
    field = models.CharField(_("form field"), max_length=40)
    file = models.FileField(_("file"), upload_to="registration-held/%Y/%m/", storage=seller_document_storage)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=60)
    size = models.PositiveIntegerField(_("size (bytes)"))
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["token", "field"], name="held_upload_one_per_field")]
        verbose_name = _("held registration document")
        verbose_name_plural = _("held registration documents")

    def __str__(self):
        return self.original_name


class RegistrationGuide(TranslatableMixin, models.Model):
    """How an informal artisan of a country obtains a register number: steps staff edit, per language."""

    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    steps = RichTextField(_("steps"), features=["bold", "italic", "ol", "ul", "link"])

    class Meta(TranslatableMixin.Meta):
        constraints = [
            models.UniqueConstraint(fields=["country", "locale"], name="registration_guide_one_per_country_and_language"),
        ]
        verbose_name = _("registration guide")
        verbose_name_plural = _("registration guides")

    def __str__(self):
        return f"{self.get_country_display()} ({self.locale})"
