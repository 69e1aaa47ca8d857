"""The buyer's forms: which lines and how many to return, and why; the return's carrier and tracking."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .services.steps import MAX_REASON


class ReturnRequestForm(forms.Form):
    """One quantity field per line still returnable (``line_<id>``), and the reason."""

    reason = forms.CharField(label=_("Why are you returning these items?"), max_length=MAX_REASON, required=False,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Optional when you withdraw within the legal period."))

    def __init__(self, *args, eligibility, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = []
        for item in eligibility.lines:
            if not item.returnable:
                continue
            name = f"line_{item.line.pk}"
            self.fields[name] = forms.IntegerField(label=item.line.title, min_value=0, max_value=item.returnable,
                                                   initial=0, required=False)
            self.items.append((item, name))

    def quantities(self) -> dict[int, int]:
        return {item.line.pk: self.cleaned_data.get(name) or 0 for item, name in self.items}

    def bound_items(self):
        return [(item, self[name]) for item, name in self.items]


class ReturnSendForm(forms.Form):
    carrier = forms.CharField(label=_("Carrier"), max_length=100)
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=100)
