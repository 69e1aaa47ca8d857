from django import forms
from django.utils.translation import gettext_lazy as _


class TwoFactorCodeForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=16,
        help_text=_("The 6-digit code from your authenticator app, or one of your backup codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}),
    )


class SavedAddressForm(forms.Form):
    """An address kept in the account; checked per country by the service (as at checkout)."""

    name = forms.CharField(label=_("Recipient's full name"), max_length=120)
    line1 = forms.CharField(label=_("Street address"), max_length=200)
    line2 = forms.CharField(label=_("Apartment, building, floor (optional)"), max_length=200, required=False)
    city = forms.CharField(label=_("Town or city"), max_length=100)
    region = forms.CharField(label=_("State, province or region"), max_length=100, required=False)
    postal_code = forms.CharField(label=_("Postal code"), max_length=16, required=False)
    country = forms.ChoiceField(label=_("Country"))
    phone = forms.CharField(label=_("Phone (for the carrier)"), max_length=32, required=False)
    is_default = forms.BooleanField(label=_("Use this address first at checkout"), required=False)

    def __init__(self, *args, country_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("Choose a country")), *country_choices]


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Your addresses and favourites are deleted. Your orders are kept for accounting, "
                    "without your account; their private links still open them."),
    )
