from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from config.form_errors import form_errors_add
from customs.models import Incoterm
from marketplace.payments.interface import payment_providers
from marketplace.shipping.addresses import ShippingAddress, address_checked
from marketplace.shipping.countries import country_choices
from sellers.validators import validate_name_text


class CheckoutForm(forms.Form):
    """The buyer's email, shipping address and payment method; the address is checked per country."""

    email = forms.EmailField(label=_("Email"), help_text=_("For the confirmation and the link to follow your order."))
    name = forms.CharField(label=_("Recipient's full name"), max_length=120, validators=[validate_name_text])
    line1 = forms.CharField(label=_("Street address"), max_length=200)
    line2 = forms.CharField(label=_("Apartment, building, floor (optional)"), max_length=200, required=False)
    city = forms.CharField(label=_("Town or city"), max_length=100, validators=[validate_name_text])
    region = forms.CharField(label=_("State, province or region"), max_length=100, required=False)
    postal_code = forms.CharField(label=_("Postal code"), max_length=16, required=False)
    country = forms.ChoiceField(label=_("Country"))
    phone = forms.CharField(label=_("Phone (for the carrier)"), max_length=32, required=False)
    incoterm = forms.ChoiceField(
        label=_("Import duties and taxes"), widget=forms.RadioSelect, initial=Incoterm.DDP, required=False,
        choices=[(Incoterm.DDP, _("Pay them now, with the order: nothing to pay on delivery")),
                 (Incoterm.DAP, _("Pay them to the carrier on delivery, with the carrier's fee"))],
        help_text=_("Where the marketplace collects the VAT at sale (parcels up to EUR 150 to the EU, GBP 135 to the "
                    "UK), it is collected now whatever you choose. The next page shows every amount."))
    payment = forms.ChoiceField(label=_("Payment"), widget=forms.RadioSelect)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("Choose a country"))] + country_choices()
        self.fields["payment"].choices = [
            (name, f"{provider.label} – {provider.description}") for name, provider in payment_providers().items()
        ]
        self.fields["payment"].initial = next(iter(payment_providers()))
        if user is not None and user.is_authenticated and user.email:
            self.fields["email"].initial = user.email

    def clean_incoterm(self):
        return self.cleaned_data.get("incoterm") or Incoterm.DDP

    def clean(self):
        cleaned = super().clean()
        if any(name in self.errors for name in ("name", "line1", "city", "country")):
            return cleaned
        try:
            address = address_checked(self.address_from(cleaned))
        except ValidationError as error:
            form_errors_add(self, error)
            return cleaned
        cleaned.update({"name": address.name, "line1": address.line1, "line2": address.line2, "city": address.city,
                        "region": address.region, "postal_code": address.postal_code, "country": address.country,
                        "phone": address.phone})
        return cleaned

    @staticmethod
    def address_from(data) -> ShippingAddress:
        return ShippingAddress(**{name: data.get(name) or "" for name in
                                  ("name", "line1", "line2", "city", "region", "postal_code", "country", "phone")})
