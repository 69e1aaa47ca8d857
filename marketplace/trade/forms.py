from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from customs.codes import iso_country_codes
from sellers.fields import MultipleFileField

from .models import TradeMember


def _country_choices():
    import pycountry  # noqa: PLC0415 (only when a form is built; the library loads its tables lazily)

    names = {country.alpha_2: country.name for country in pycountry.countries}
    return [("", "---------")] + sorted(((code, names.get(code, code)) for code in iso_country_codes()),
                                        key=lambda choice: choice[1])


class TradeApplicationForm(forms.Form):
    legal_name = forms.CharField(label=_("Company name"), max_length=200)
    country = forms.ChoiceField(label=_("Country"), choices=_country_choices)
    register_number = forms.CharField(label=_("Company register number"), max_length=40,
                                      help_text=_("E.g. your Chamber of Commerce (KvK) or Companies House number."))
    vat_number = forms.CharField(label=_("VAT number"), max_length=30, required=False,
                                 help_text=_("In the EU and the UK: with it, you are invoiced without VAT and account "
                                             "for the import VAT yourself (reverse charge)."))
    eori_number = forms.CharField(label=_("EORI number"), max_length=20, required=False,
                                  help_text=_("The customs number of importers in the EU and the UK."))
    website = forms.URLField(label=_("Website"), required=False, max_length=200, assume_scheme="https")
    language = forms.ChoiceField(label=_("Language we write to you in"), choices=settings.LANGUAGES)
    documents = MultipleFileField(
        label=_("Proof of activity"), accept="application/pdf,image/jpeg,image/png",
        help_text=_("A register extract, a VAT certificate or a recent invoice (PDF, JPEG or PNG, up to 5 files)."))


class TradeInviteForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=TradeMember.Role.choices, initial=TradeMember.Role.BUYER)
