"""The forms of requests for quote: what the buyer asks, what the seller quotes, a message, an acceptance.
They check the shape of the input; the services decide."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from currency.selectors import display_currencies
from marketplace.shipping.countries import country_choices

from .models import Quote, QuoteIncoterm

MONEY_FIELD = {"max_digits": 12, "decimal_places": 2, "min_value": 0}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class QuoteRequestForm(forms.Form):
    title = forms.CharField(label=_("What you need"), max_length=200,
                            help_text=_("In a few words, e.g. “300 tagines in our glaze”."))
    sellers = forms.TypedMultipleChoiceField(label=_("Sellers to ask"), coerce=int, choices=(),
                                             widget=forms.CheckboxSelectMultiple,
                                             help_text=_("Each seller answers you privately."))
    description = forms.CharField(label=_("Description"), max_length=500, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text=_("The item to make: shape, size, material."))
    product = forms.TypedChoiceField(label=_("Or one of the seller's products"), coerce=int, required=False,
                                     empty_value=None, choices=())
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=1_000_000)
    photos = MultipleFileField(label=_("Photos or drawings (PDF, JPEG, PNG)"))
    customisation = forms.CharField(label=_("Customisation"), max_length=4000, required=False,
                                    widget=forms.Textarea(attrs={"rows": 3}),
                                    help_text=_("Colours, sizes, glaze, a label with your brand…"))
    target_unit_price = forms.DecimalField(label=_("Target unit price"), required=False, **MONEY_FIELD)
    currency = forms.ChoiceField(label=_("Currency"), choices=())
    destination_country = forms.ChoiceField(label=_("Destination country"), choices=())
    destination_place = forms.CharField(label=_("Destination (town or port)"), max_length=100)
    incoterm = forms.ChoiceField(label=_("Incoterm"), choices=QuoteIncoterm.choices, initial=QuoteIncoterm.DAP)
    needed_by = forms.DateField(label=_("Needed by"), widget=forms.DateInput(attrs={"type": "date"}))
    samples_wanted = forms.BooleanField(label=_("I would like samples first"), required=False)

    def __init__(self, *args, sellers=(), products=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sellers"].choices = [(seller.pk, seller.legal_name) for seller in sellers]
        self.fields["product"].choices = [("", "—")] + [(product.pk, str(product)) for product in products]
        self.fields["currency"].choices = [(code, code) for code in display_currencies()]
        self.fields["destination_country"].choices = [("", "—")] + country_choices()
        if not products:
            del self.fields["product"]

    def clean_needed_by(self):
        needed_by = self.cleaned_data["needed_by"]
        if needed_by <= timezone.localdate():
            raise forms.ValidationError(_("Give a date after today."))
        return needed_by


class QuoteLineForm(forms.Form):
    product = forms.IntegerField(widget=forms.HiddenInput, required=False)
    description = forms.CharField(label=_("Description"), max_length=500)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=1_000_000)
    unit_price = forms.DecimalField(label=_("Unit price"), **MONEY_FIELD)
    hs_code = forms.CharField(label=_("HS code"), max_length=16, required=False)
    weight_grams = forms.IntegerField(label=_("Unit weight (g)"), min_value=1, max_value=1_000_000, required=False)


QuoteLineFormSet = forms.formset_factory(QuoteLineForm, extra=1, min_num=1, max_num=20, validate_min=True,
                                         validate_max=True, absolute_max=20)


class QuoteForm(forms.Form):
    kind = forms.ChoiceField(label=_("This quote is for"), choices=Quote.Kind.choices, initial=Quote.Kind.BULK)
    lead_time_days = forms.IntegerField(label=_("Lead time (days)"), min_value=1, max_value=365,
                                        help_text=_("Days from the deposit to dispatch."))
    delivery_days = forms.IntegerField(label=_("Transit (days)"), min_value=0, max_value=120, initial=0,
                                       help_text=_("Days from dispatch to the destination, where you deliver (DAP, DDP)."))
    valid_until = forms.DateField(label=_("Valid until"), widget=forms.DateInput(attrs={"type": "date"}))
    incoterm = forms.ChoiceField(label=_("Incoterm"), choices=QuoteIncoterm.choices)
    incoterm_place = forms.CharField(label=_("Named place or port"), max_length=100)
    shipping = forms.DecimalField(label=_("Shipping"), required=False, initial=0, **MONEY_FIELD,
                                  help_text=_("Only where you pay the carriage (DAP, DDP)."))
    deposit_percent = forms.IntegerField(label=_("Deposit (%)"), min_value=0, max_value=100, initial=30,
                                         help_text=_("Paid before you start making; the balance before shipping. "
                                                     "Samples are paid in full."))
    sample_credited = forms.BooleanField(label=_("Samples: their price is credited against the bulk order"),
                                         required=False)
    notes = forms.CharField(label=_("Terms and notes"), max_length=4000, required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Why you will not quote"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}), help_text=_("The buyer reads this."))


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    files = MultipleFileField(label=_("Files (PDF, JPEG, PNG)"))


class AcceptForm(forms.Form):
    name = forms.CharField(label=_("Recipient"), max_length=120)
    line1 = forms.CharField(label=_("Address"), max_length=200)
    line2 = forms.CharField(label=_("Address (continued)"), max_length=200, required=False)
    city = forms.CharField(label=_("Town or city"), max_length=100)
    region = forms.CharField(label=_("State, province or region"), max_length=100, required=False)
    postal_code = forms.CharField(label=_("Postal code"), max_length=16, required=False)
    country = forms.ChoiceField(label=_("Country"), choices=())
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    currency = forms.ChoiceField(label=_("Pay in"), choices=())
    provider = forms.ChoiceField(label=_("Payment method"), choices=())

    def __init__(self, *args, providers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "—")] + country_choices()
        self.fields["currency"].choices = [(code, code) for code in display_currencies()]
        self.fields["provider"].choices = list(providers)
