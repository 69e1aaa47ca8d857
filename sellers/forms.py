from django import forms
from django.utils.translation import gettext_lazy as _

from .fields import IdsMultipleChoiceField
from .models import Country, Region, Seller, SellerDocument, Trade
from .services import Registration
from .validators import validate_name_text


class SellerRegistrationForm(forms.Form):
    kind = forms.ChoiceField(label=_("You are"), choices=Seller.Kind.choices)
    legal_name = forms.CharField(label=_("Legal name"), max_length=200, validators=[validate_name_text])
    country = forms.ChoiceField(label=_("Country"), choices=Country.choices)
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.all())
    city = forms.CharField(label=_("Town or village"), max_length=120, required=False, validators=[validate_name_text])
    trades = IdsMultipleChoiceField(
        label=_("Trades"), queryset=Trade.objects.filter(level=Trade.Level.ACTIVITY), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    register_number = forms.CharField(
        label=_("Register number"), max_length=40, required=False,
        help_text=_("Your national artisan, cooperative or company register number. Leave it empty if you do not "
                    "have one yet: you can prepare your listings and we will show you how to obtain one."),
    )
    contact_name = forms.CharField(label=_("Your name"), max_length=150, validators=[validate_name_text])
    email = forms.EmailField(label=_("Email"))
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput(render_value=False))
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

    def registration(self, *, language: str) -> Registration:
        data = self.cleaned_data
        return Registration(
            email=data["email"], password=data["password"], contact_name=data["contact_name"], kind=data["kind"],
            legal_name=data["legal_name"], country=data["country"], region=data["region"],
            register_number=data["register_number"], city=data["city"], phone=data["phone"],
            trades=tuple(data["trades"]),
            documents=tuple((kind, data[name]) for name, kind in self.DOCUMENT_FIELDS.items() if data.get(name)),
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
