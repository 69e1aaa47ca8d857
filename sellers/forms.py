from django import forms
from django.contrib.auth.password_validation import password_validators_help_texts
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .fields import IdsMultipleChoiceField
from .models import Country, Region, Seller, SellerDocument, Trade
from .services import Registration
from .validators import validate_name_text


class ByCountryChoiceIterator(forms.models.ModelChoiceIterator):
    """The choices grouped by country (an optgroup each), so that without JavaScript an applicant sees
    which country each region or trade belongs to."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        groups = {}
        for obj in self.queryset.order_by("country", "code"):
            groups.setdefault(obj.country, []).append(self.choice(obj))
        for country, choices in groups.items():
            yield (Country(country).label, choices)

    def __len__(self):
        return self.queryset.count() + (1 if self.field.empty_label is not None else 0)


class CountryOptionsMixin:
    """Each option carries its country (``data-country``): the registration script shows only the
    chosen country's options."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-country"] = instance.country
        return option


class CountrySelect(CountryOptionsMixin, forms.Select):
    pass


class CountryCheckboxSelectMultiple(CountryOptionsMixin, forms.CheckboxSelectMultiple):
    pass


class RegionByCountryField(forms.ModelChoiceField):
    iterator = ByCountryChoiceIterator
    widget = CountrySelect


class TradesByCountryField(IdsMultipleChoiceField):
    iterator = ByCountryChoiceIterator
    widget = CountryCheckboxSelectMultiple


def password_rules_help_text():
    """The active password validators' rules, stated before the applicant types (Django's own words),
    one a line: the help text is a paragraph, which cannot hold a list."""
    return format_html_join(mark_safe("<br>"), "{}", ((text,) for text in password_validators_help_texts()))


class SellerRegistrationForm(forms.Form):
    # The country first: the regions and trades offered follow it.
    country = forms.ChoiceField(label=_("Country"), choices=Country.choices)
    kind = forms.ChoiceField(label=_("You are"), choices=Seller.Kind.choices)
    legal_name = forms.CharField(label=_("Legal name"), max_length=200, validators=[validate_name_text])
    name_alternate = forms.CharField(
        label=_("Legal name in another script (optional)"), max_length=200, required=False,
        validators=[validate_name_text],
        help_text=_("If your name is in Arabic script, its Latin spelling (or the reverse), as buyers should read it."),
    )
    region = RegionByCountryField(label=_("Region"), queryset=Region.objects.all())
    city = forms.CharField(label=_("Town or village"), max_length=120, required=False, validators=[validate_name_text])
    trades = TradesByCountryField(
        label=_("Trades"), queryset=Trade.objects.filter(level=Trade.Level.ACTIVITY), required=False,
    )
    register_number = forms.CharField(
        label=_("Register number"), max_length=40, required=False,
        help_text=_("Your national artisan, cooperative or company register number. Leave it empty if you do not "
                    "have one yet: you can prepare your listings and we will show you how to obtain one."),
    )
    contact_name = forms.CharField(label=_("Your name"), max_length=150, validators=[validate_name_text])
    email = forms.EmailField(label=_("Email"))
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(render_value=False)
    )
    register_certificate = forms.FileField(
        label=_("Register certificate"), required=False, help_text=_("PDF, JPEG or PNG, 5 MB at most.")
    )
    identity = forms.FileField(label=_("Identity document"), required=False, help_text=_("PDF, JPEG or PNG, 5 MB at most."))
    statutes = forms.FileField(
        label=_("Statutes (cooperatives)"), required=False, help_text=_("PDF, JPEG or PNG, 5 MB at most.")
    )

    DOCUMENT_FIELDS = {
        "register_certificate": SellerDocument.Kind.REGISTER_CERTIFICATE,
        "identity": SellerDocument.Kind.IDENTITY,
        "statutes": SellerDocument.Kind.STATUTES,
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = password_rules_help_text()

    def show_held(self, held: dict) -> None:
        """Say, under each document field, which file is already attached from an earlier attempt
        (``held``: field name to an object with ``original_name``)."""
        for name, document in held.items():
            field = self.fields[name]
            field.help_text = format_html(
                "<strong>{}</strong> {}",
                _("Already attached: “%(name)s”. Choose another file to replace it.") % {"name": document.original_name},
                self.base_fields[name].help_text,
            )
            self[name].help_text = field.help_text  # the bound field copied it when the form was cleaned

    def clean(self):
        data = super().clean()
        country, region = data.get("country"), data.get("region")
        if country and region is not None and region.country != country:
            self.add_error("region", _("Choose a region of the country you chose."))
        if country and any(trade.country != country for trade in data.get("trades") or ()):
            self.add_error("trades", _("Choose trades of the country you chose."))
        return data

    def valid_uploads(self) -> dict:
        """The document fields' uploads that passed the field's own checks, by field name."""
        return {
            name: self.files[name] for name in self.DOCUMENT_FIELDS
            if name in self.files and name not in self.errors and self.files.get(name)
        }

    def registration(self, *, language: str, documents: dict | None = None) -> Registration:
        """The registration; ``documents`` (by field name) are the files to attach, new or held."""
        data = self.cleaned_data
        if documents is None:
            documents = {name: data[name] for name in self.DOCUMENT_FIELDS if data.get(name)}
        return Registration(
            email=data["email"], password=data["password"], contact_name=data["contact_name"], kind=data["kind"],
            legal_name=data["legal_name"], name_alternate=data["name_alternate"], country=data["country"],
            region=data["region"],
            register_number=data["register_number"], city=data["city"], phone=data["phone"],
            trades=tuple(data["trades"]),
            documents=tuple((kind, documents[name]) for name, kind in self.DOCUMENT_FIELDS.items() if documents.get(name)),
            language=language,
        )


class InvitationPasswordForm(forms.Form):
    """An invitee without an account chooses its password; the service checks its strength."""

    password = forms.CharField(label=_("Choose a password"), strip=False, widget=forms.PasswordInput(render_value=False))
    password_again = forms.CharField(
        label=_("The password again"), strip=False, widget=forms.PasswordInput(render_value=False)
    )

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password_again") and data["password"] != data["password_again"]:
            self.add_error("password_again", _("The two passwords differ."))
        return data
