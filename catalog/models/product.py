"""The shared product record (one per product, whatever its pages' languages), materials, and the HS code
suggestions staff keep per craft."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from sellers.models import LocalizedNameMixin

from ..validators import hs_code_format, hs_code_normalise, validate_gtin, validate_hs_code

# The Harmonized System's section XI, textiles and textile articles.
TEXTILE_HS_CHAPTERS = range(50, 64)


def hs_code_is_textile(hs_code: str) -> bool:
    digits = hs_code_normalise(hs_code or "")
    return len(digits) >= 2 and digits[:2].isdigit() and int(digits[:2]) in TEXTILE_HS_CHAPTERS


def product_in_stock(*, made_to_order: bool, stock: int, min_order_quantity: int) -> bool:
    """Whether a buyer can order it now: made to order, or enough units for the minimum order."""
    return made_to_order or stock >= min_order_quantity


class Material(LocalizedNameMixin):
    slug = models.SlugField(_("slug"), max_length=60, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")

    def __str__(self):
        return self.localized_name


class Product(models.Model):
    """What a product is and costs, once for all its translations: price, stock, customs data.

    Each language's ``ProductPage`` points here, so a price or the stock can never differ between
    the English, French and Arabic pages of the same product.
    """

    seller = models.ForeignKey("sellers.Seller", on_delete=models.PROTECT, related_name="products", verbose_name=_("seller"))
    price = models.DecimalField(
        _("price"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("In the platform's base currency."),
    )
    stock = models.PositiveIntegerField(_("units in stock"), default=0)
    made_to_order = models.BooleanField(_("made to order"), default=False)
    lead_time_days = models.PositiveSmallIntegerField(
        _("lead time (days)"), null=True, blank=True, help_text=_("Days needed to make it, for made-to-order products.")
    )
    min_order_quantity = models.PositiveIntegerField(
        _("minimum order quantity"), default=1, validators=[MinValueValidator(1)]
    )
    craft = models.ForeignKey("sellers.Trade", on_delete=models.PROTECT, related_name="products", verbose_name=_("craft"))
    origin_region = models.ForeignKey(
        "sellers.Region", on_delete=models.PROTECT, related_name="products", verbose_name=_("region of origin")
    )
    materials = models.ManyToManyField(Material, related_name="products", blank=True, verbose_name=_("materials"))
    length_cm = models.DecimalField(_("length (cm)"), max_digits=7, decimal_places=1, null=True, blank=True,
                                    validators=[MinValueValidator(Decimal("0.1"))])
    width_cm = models.DecimalField(_("width (cm)"), max_digits=7, decimal_places=1, null=True, blank=True,
                                   validators=[MinValueValidator(Decimal("0.1"))])
    height_cm = models.DecimalField(_("height (cm)"), max_digits=7, decimal_places=1, null=True, blank=True,
                                    validators=[MinValueValidator(Decimal("0.1"))])
    weight_grams = models.PositiveIntegerField(_("shipping weight (g)"), validators=[MinValueValidator(1)])
    hs_code = models.CharField(
        _("HS code"), max_length=16, validators=[validate_hs_code],
        help_text=_("Harmonized System customs code, e.g. 5701.10 for a hand-knotted wool rug."),
    )
    hs_edition = models.CharField(
        _("HS edition"), max_length=10, choices=[("HS2022", "HS 2022"), ("HS2028", "HS 2028")], default="HS2022",
        blank=True,
        help_text=_("The edition of the Harmonized System the code is from: HS 2022 until HS 2028 comes into force."),
    )
    # Wholesale: trade buyers order whole cases and see the price a shop should sell it at.
    case_pack = models.PositiveIntegerField(
        _("case pack"), default=1, db_default=1, validators=[MinValueValidator(1)],
        help_text=_("Units per case: trade buyers order in multiples of it. 1: any quantity."))
    suggested_retail_price = models.DecimalField(
        _("suggested retail price"), max_digits=12, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("What a shop should sell it at, in the platform's base currency; shown to trade buyers."))
    personalised = models.BooleanField(
        _("personalised"), default=False,
        help_text=_("Made to the buyer's specification or clearly personalised (a name, a size): consumers "
                    "cannot withdraw from buying it."),
    )
    # What an offer to EU consumers must show (GPSR art. 9 and 19); the warnings and care instructions
    # are words, written in each language on the product's pages.
    product_identifier = models.CharField(
        _("product identifier"), max_length=100, blank=True, default="", db_default="",
        help_text=_("The type, model or batch number that identifies this product, as on its label or tag, "
                    "e.g. TAP-2024-07."))
    fibre_composition = models.CharField(
        _("fibre composition"), max_length=255, blank=True, default="", db_default="",
        help_text=_("For textiles (rugs, clothes, cushions): the fibres and their share by weight, e.g. "
                    "“80% wool, 20% cotton”."))
    # The product passport's GS1 Digital Link (/01/<GTIN>/) when the seller has registered barcodes.
    gtin = models.CharField(
        _("GTIN (barcode number)"), max_length=14, blank=True, default="", db_default="",
        validators=[validate_gtin],
        help_text=_("Only if you have GS1 barcodes: the 8 to 14 digits under the barcode. Handmade goods "
                    "usually have none."))
    no_safety_warnings = models.BooleanField(
        _("no safety warnings needed"), default=False, db_default=False,
        help_text=_("Tick when nothing about this product puts a buyer at risk (e.g. a wool rug). Otherwise "
                    "write its safety warnings on its page."))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(made_to_order=False) | models.Q(lead_time_days__isnull=False),
                name="product_made_to_order_has_lead_time",
            ),
            models.CheckConstraint(condition=models.Q(price__gt=0), name="product_price_positive"),
            models.UniqueConstraint(fields=["gtin"], condition=~models.Q(gtin=""), name="product_gtin_unique"),
        ]

    def __str__(self):
        return f"{self.seller} #{self.pk}"

    def save(self, *args, **kwargs):
        self.hs_edition = self.hs_edition or "HS2022"
        if self.hs_code:
            self.hs_code = hs_code_format(self.hs_code) if hs_code_normalise(self.hs_code).isdigit() else self.hs_code
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        if self.made_to_order and not self.lead_time_days:
            errors["lead_time_days"] = _("A made-to-order product needs a lead time.")
        if self.craft_id and self.seller_id and self.craft.country != self.seller.country:
            errors["craft"] = _("Choose a craft from the seller's country.")
        if self.origin_region_id and self.seller_id and self.origin_region.country != self.seller.country:
            errors["origin_region"] = _("Choose a region of the seller's country.")
        if errors:
            raise ValidationError(errors)

    @property
    def in_stock(self) -> bool:
        return product_in_stock(made_to_order=self.made_to_order, stock=self.stock, min_order_quantity=self.min_order_quantity)

    @property
    def is_textile(self) -> bool:
        """Whether its HS code is in the textile section (chapters 50 to 63): its fibre composition is
        then required."""
        return hs_code_is_textile(self.hs_code)

    @property
    def dimensions(self) -> list[str]:
        """Length, width and height in centimetres as shown: 200, not 200.0."""
        return [format(d.normalize(), "f") for d in (self.length_cm, self.width_cm, self.height_cm) if d is not None]


class ProductPriceTier(models.Model):
    """A wholesale unit price from a quantity up (to the next tier's quantity); trade buyers only.

    A product's tiers start at its minimum order quantity, and a bigger quantity never costs more a unit
    (catalog.pricing.price_tiers_problems says it in words)."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="price_tiers",
                                verbose_name=_("product"))
    min_quantity = models.PositiveIntegerField(_("from quantity"), validators=[MinValueValidator(1)])
    unit_price = models.DecimalField(_("unit price"), max_digits=12, decimal_places=2,
                                     validators=[MinValueValidator(Decimal("0.01"))],
                                     help_text=_("In the platform's base currency."))

    class Meta:
        ordering = ["product", "min_quantity"]
        constraints = [
            models.UniqueConstraint(fields=["product", "min_quantity"], name="product_price_tier_unique_quantity"),
            models.CheckConstraint(condition=models.Q(unit_price__gt=0), name="product_price_tier_price_positive"),
        ]
        verbose_name = _("wholesale price tier")
        verbose_name_plural = _("wholesale price tiers")

    def __str__(self):
        return f"{self.product_id}: {self.min_quantity}+ × {self.unit_price}"


class CraftHsSuggestion(models.Model):
    """The HS code the quick listing form suggests for a craft; staff edit the table (a snippet)."""

    craft = models.OneToOneField(
        "sellers.Trade", on_delete=models.CASCADE, related_name="hs_suggestion", verbose_name=_("craft")
    )
    hs_code = models.CharField(_("suggested HS code"), max_length=16, validators=[validate_hs_code])
    note = models.CharField(_("note"), max_length=200, blank=True, help_text=_("What the heading covers, for staff."))
    is_sample = models.BooleanField(
        _("sample data"), default=False,
        help_text=_("Loaded as an example for development; check it against the customs tariff before relying on it."),
    )

    class Meta:
        ordering = ["craft__country", "craft__code"]
        verbose_name = _("HS code suggestion")
        verbose_name_plural = _("HS code suggestions")

    def __str__(self):
        return f"{self.craft} → {self.hs_code}"

    def save(self, *args, **kwargs):
        if hs_code_normalise(self.hs_code).isdigit():
            self.hs_code = hs_code_format(self.hs_code)
        super().save(*args, **kwargs)
