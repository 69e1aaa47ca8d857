import json
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.documents.models import AbstractDocument
from wagtail.images.models import AbstractImage
from wagtail.permissions import policy_registry

from sellers.fields import IdsMultipleChoiceField, MultipleFileField, MultipleFileInput
from sellers.models import Region, Trade

from .image_forms import HeaderCheckedImageField
from .models import PendingListingPhoto, Product, ProductPriceTier
from .pricing import Tier, price_tiers_problems, product_tiers
from .selectors import craft_hs_suggestions, pending_listing_photos

MAX_LISTING_PHOTOS = 12

PRODUCT_FIELD_PREFIX = "product_"
PRODUCT_FORM_FIELDS = [
    "price",
    "stock",
    "made_to_order",
    "personalised",
    "lead_time_days",
    "min_order_quantity",
    "case_pack",
    "suggested_retail_price",
    "craft",
    "origin_region",
    "materials",
    "hs_code",
    "hs_edition",
    "weight_grams",
    "length_cm",
    "width_cm",
    "height_cm",
    "product_identifier",
    "fibre_composition",
    "no_safety_warnings",
    "gtin",
]


class StockInput(forms.NumberInput):
    """A number input followed by the hidden value it started from (Wagtail renders only the widget)."""

    initial_value = None

    def render(self, name, value, attrs=None, renderer=None):
        hidden = forms.HiddenInput().render(f"initial-{name}", self.initial_value, {"id": f"initial-id_{name}"})
        return mark_safe(super().render(name, value, attrs, renderer) + hidden)  # noqa: S308 (both rendered by Django)


# What an editor is told when a form names an image or document (by id) from a collection it may not use.
COLLECTION_CHOICE_ERRORS = {
    AbstractImage: _("You cannot use this image: it is not in a collection you may choose from. Choose one of your own images."),
    AbstractDocument: _(
        "You cannot use this document: it is not in a collection you may choose from. Choose one of your own documents."
    ),
}


def _collection_choices_restrict(form, user) -> None:
    """Offer (and accept) in ``form``'s image and document fields only what ``user`` may choose, and the
    value already saved there, so that a page keeps an image someone else (staff) put in it."""
    for name, field in form.fields.items():
        model = getattr(getattr(field, "queryset", None), "model", None)
        base = next((base for base in COLLECTION_CHOICE_ERRORS if model is not None and issubclass(model, base)), None)
        if base is None:
            continue
        usable = policy_registry.get_by_type(model).instances_user_has_permission_for(user, "choose")
        saved = form.initial.get(name)
        if saved:
            usable = usable | model.objects.filter(pk=saved)
        field.queryset = usable
        field.error_messages["invalid_choice"] = COLLECTION_CHOICE_ERRORS[base]


class CollectionScopedPageForm(WagtailAdminPageForm):
    """A page form whose image and document fields, its own and its inline panels' (a product's
    gallery), accept only what the editor may choose: a seller's own collection. The chooser already
    offers nothing else; this refuses a forged id with a form error."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if user is None or user.is_superuser:
            return
        _collection_choices_restrict(self, user)
        for formset in self.formsets.values():
            for child_form in formset.forms:
                _collection_choices_restrict(child_form, user)


TIERS_FIELD = PRODUCT_FIELD_PREFIX + "price_tiers"


def price_tiers_parse(text: str) -> list[Tier]:
    """Tiers written one a line, "quantity: unit price" ("12: 95.00"); raises ValidationError naming the line."""
    tiers = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        quantity, _separator, price = line.replace("=", ":").partition(":")
        try:
            tier = Tier(int(quantity.strip()), Decimal(price.strip().replace(",", ".")))
        except (ValueError, ArithmeticError):
            tier = None
        if tier is None or tier.min_quantity < 1 or not tier.unit_price.is_finite() or tier.unit_price <= 0 \
                or tier.unit_price != tier.unit_price.quantize(Decimal("0.01")) or tier.unit_price >= Decimal(10) ** 10:
            raise ValidationError(_("Line %(number)d: write a quantity, a colon and a unit price, e.g. “12: 95.00”.")
                                  % {"number": number})
        tiers.append(tier)
    return sorted(tiers, key=lambda tier: tier.min_quantity)


def price_tiers_text(tiers: list[Tier]) -> str:
    return "\n".join(f"{tier.min_quantity}: {tier.unit_price}" for tier in tiers)


class _ProductPageFormBase(CollectionScopedPageForm):
    """The page's own fields plus the fields of its shared ``Product``, saved together.

    Only the product fields the editor changed are written, so saving a translation never overwrites
    a stock level that an order changed in the meantime.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        product = self.instance.product if self.instance.product_id else None
        if product is not None:
            for name in PRODUCT_FORM_FIELDS:
                if name == "materials":
                    value = list(product.materials.values_list("pk", flat=True))
                elif name in ("craft", "origin_region"):
                    value = getattr(product, f"{name}_id")
                else:
                    value = getattr(product, name)
                self.initial[PRODUCT_FIELD_PREFIX + name] = value
            self.initial[TIERS_FIELD] = price_tiers_text(product_tiers(product))
        if "product_stock" in self.fields:
            self.fields["product_stock"].widget.initial_value = (
                self.data.get("initial-product_stock") if self.is_bound else self.initial.get("product_stock")
            )
        seller = self.seller
        if seller is not None:
            if "product_craft" in self.fields:
                self.fields["product_craft"].queryset = Trade.objects.filter(country=seller.country)
            if "product_origin_region" in self.fields:
                self.fields["product_origin_region"].queryset = Region.objects.filter(country=seller.country)

    @property
    def seller(self):
        if self.instance.product_id:
            return self.instance.product.seller
        parent = self.parent_page.specific if self.parent_page else None
        return getattr(parent, "seller", None)

    def _changed_product_fields(self) -> list[str]:
        return [
            name
            for name in PRODUCT_FORM_FIELDS
            if PRODUCT_FIELD_PREFIX + name in self.fields
            and (not self.instance.product_id or PRODUCT_FIELD_PREFIX + name in self.changed_data)
        ]

    def clean(self):
        cleaned_data = super().clean()
        product = Product.objects.get(pk=self.instance.product_id) if self.instance.product_id else Product()
        if product.pk is None:
            if self.seller is None:
                raise ValidationError(_("A product page must be created under a seller's page."))
            product.seller = self.seller
        changed = self._changed_product_fields()
        if PRODUCT_FIELD_PREFIX + "case_pack" in cleaned_data and not cleaned_data[PRODUCT_FIELD_PREFIX + "case_pack"]:
            cleaned_data[PRODUCT_FIELD_PREFIX + "case_pack"] = 1
        for name in changed:
            if name != "materials" and PRODUCT_FIELD_PREFIX + name in cleaned_data:
                setattr(product, name, cleaned_data[PRODUCT_FIELD_PREFIX + name])
        self._tiers = None
        # Checked when they change, and when the price or minimum they are held to does.
        if TIERS_FIELD in self.fields and (not self.instance.product_id or TIERS_FIELD in self.changed_data
                                           or {"price", "min_order_quantity"} & set(changed)):
            try:
                tiers = price_tiers_parse(cleaned_data.get(TIERS_FIELD, ""))
            except ValidationError as error:
                self.add_error(TIERS_FIELD, error)
            else:
                problems = price_tiers_problems(tiers, min_order_quantity=product.min_order_quantity or 1,
                                                retail_price=product.price)
                if problems:
                    self.add_error(TIERS_FIELD, problems)
                else:
                    self._tiers = tiers
        try:
            product.full_clean(exclude=["materials"])
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                target = PRODUCT_FIELD_PREFIX + field if field in PRODUCT_FORM_FIELDS else None
                if target is not None and target not in self.fields:
                    target = None
                if target is None or target not in self.errors:
                    self.add_error(target, messages)
        self._product, self._product_changed_fields = product, changed
        return cleaned_data

    def save(self, commit=True):
        product, changed = self._product, self._product_changed_fields
        with transaction.atomic():
            if product.pk is None:
                product.save()
            else:
                scalar_fields = [name for name in changed if name != "materials"]
                if scalar_fields:
                    product.save(update_fields=[*scalar_fields, "updated_at"])
            if "materials" in changed:
                product.materials.set(self.cleaned_data.get(PRODUCT_FIELD_PREFIX + "materials") or [])
            if self._tiers is not None and self._tiers != product_tiers(product):
                product.price_tiers.all().delete()
                ProductPriceTier.objects.bulk_create([
                    ProductPriceTier(product=product, min_quantity=tier.min_quantity, unit_price=tier.unit_price)
                    for tier in self._tiers])
            self.instance.product = product
            return super().save(commit=commit)


def _product_form_fields() -> dict[str, forms.Field]:
    fields = forms.fields_for_model(
        Product, fields=PRODUCT_FORM_FIELDS, widgets={"materials": forms.CheckboxSelectMultiple}
    )
    # The stock the editor saw travels with the form, so the stock counts as changed only if the
    # editor changed it, not if an order took units meanwhile.
    fields["stock"].show_hidden_initial = True
    fields["stock"].widget = StockInput(attrs=fields["stock"].widget.attrs)
    fields["case_pack"].required = False  # empty: sold by the unit (1)
    fields = {PRODUCT_FIELD_PREFIX + name: field for name, field in fields.items()}
    fields[TIERS_FIELD] = forms.CharField(
        label=_("Wholesale prices"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For verified trade buyers, one tier a line: the quantity it starts at, a colon, the unit price "
                    "in the platform's base currency, e.g. “1: 100.00”, “12: 90.00”, “48: 80.00”. The first tier "
                    "starts at the minimum order quantity; each tier costs less than the one before. Empty: trade "
                    "buyers pay the price above."))
    return fields


ProductPageForm = type(_ProductPageFormBase)(
    "ProductPageForm", (_ProductPageFormBase,), {"__module__": __name__, **_product_form_fields()}
)


class PhotoInput(MultipleFileInput):
    """Several photos, from the files or the camera of a phone (the browser offers both)."""


class QuickListingForm(forms.Form):
    """The few questions an artisan answers to list a product; the rest has sensible defaults."""

    photos = MultipleFileField(
        label=_("Photos"), widget=PhotoInput(attrs={"accept": "image/*,.heic"}),
        help_text=_("Take them with your phone or choose them from your files (JPEG, PNG, WebP or HEIC)."),
    )
    kept_photos = IdsMultipleChoiceField(
        label=_("Photos kept from your last try"), queryset=PendingListingPhoto.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    title = forms.CharField(label=_("Name of the product"), max_length=255)
    price = forms.DecimalField(label=_("Price"), max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    stock = forms.IntegerField(label=_("How many do you have ready?"), min_value=0, max_value=1_000_000, initial=1)
    craft = forms.ModelChoiceField(label=_("Craft"), queryset=Trade.objects.none())
    weight_kg = forms.DecimalField(
        label=_("Weight with its packing, in kg"), max_digits=8, decimal_places=3, min_value=Decimal("0.001"),
        max_value=Decimal("1000"),
    )
    hs_code = forms.CharField(
        label=_("Customs code (HS)"), max_length=16, required=False,
        help_text=_("Suggested from the craft; change it if the chamber told you another one."),
    )
    description = forms.CharField(label=_("Description (optional)"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    # Needed before the product may be sold to the EU; optional here, the workspace says what is missing.
    product_identifier = forms.CharField(
        label=_("Product identifier (type, model or batch)"), max_length=100, required=False,
        help_text=_("As on its label or tag, e.g. TAP-2024-07. Needed to sell to the EU."))
    fibre_composition = forms.CharField(
        label=_("Fibre composition (textiles)"), max_length=255, required=False,
        help_text=_("E.g. “80% wool, 20% cotton”. Needed to sell textiles to the EU."))
    safety_warnings = forms.CharField(
        label=_("Safety warnings"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What a buyer must know to use it safely."))
    no_safety_warnings = forms.BooleanField(label=_("No safety warnings needed"), required=False)
    care_instructions = forms.CharField(
        label=_("Care instructions"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    field_order = ["photos", "kept_photos", "title", "price", "stock", "weight_kg", "craft", "hs_code", "description",
                   "product_identifier", "fibre_composition", "safety_warnings", "no_safety_warnings", "care_instructions"]

    def __init__(self, *args, seller, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.seller = seller
        self.fields["price"].label = _("Price in %(currency)s") % {"currency": settings.MARKETPLACE_BASE_CURRENCY}
        own = list(seller.trades.filter(level=Trade.Level.ACTIVITY).order_by("code"))
        others = list(Trade.objects.filter(country=seller.country, level=Trade.Level.ACTIVITY).exclude(
            pk__in=[trade.pk for trade in own]).order_by("code"))
        craft = self.fields["craft"]
        craft.queryset = Trade.objects.filter(pk__in=[trade.pk for trade in own + others])
        if own:  # the seller's own trades first
            craft.choices = [
                (_("Your crafts"), [(trade.pk, str(trade)) for trade in own]),
                (_("Other crafts"), [(trade.pk, str(trade)) for trade in others]),
            ]
        else:
            craft.choices = [("", "---------")] + [(trade.pk, str(trade)) for trade in others]
        self.suggestions = craft_hs_suggestions(crafts=own + others)
        craft.widget.attrs["data-hs-suggestions"] = json.dumps({str(key): value for key, value in self.suggestions.items()})
        if own and not self.is_bound:
            self.initial.setdefault("craft", own[0].pk)
            self.initial.setdefault("hs_code", self.suggestions.get(own[0].pk, ""))
        self.fields["kept_photos"].queryset = pending_listing_photos(seller=seller, user=user)
        self.valid_photos = []

    def clean_photos(self):
        files = self.cleaned_data.get("photos") or []
        checker, errors = HeaderCheckedImageField(), []
        for upload in files[:MAX_LISTING_PHOTOS]:
            try:
                self.valid_photos.append(checker.clean(upload))
            except ValidationError as error:
                errors += [f"{upload.name}: {message}" for message in error.messages]
        if len(files) > MAX_LISTING_PHOTOS:
            errors.append(_("Send %(count)s photos at most.") % {"count": MAX_LISTING_PHOTOS})
        if errors:
            raise ValidationError(errors)
        return self.valid_photos

    def clean(self):
        cleaned_data = super().clean()
        if not self.errors.get("photos") and not self.valid_photos and not cleaned_data.get("kept_photos"):
            self.add_error("photos", _("Add at least one photo."))
        craft = cleaned_data.get("craft")
        if craft is not None and not cleaned_data.get("hs_code"):
            suggestion = self.suggestions.get(craft.pk)
            if suggestion:
                cleaned_data["hs_code"] = suggestion
            else:
                self.add_error("hs_code", _("Enter the customs code: there is no suggestion for this craft."))
        if cleaned_data.get("no_safety_warnings") and (cleaned_data.get("safety_warnings") or "").strip():
            self.add_error("no_safety_warnings", _("You wrote safety warnings: untick “no safety warnings needed”."))
        return cleaned_data
