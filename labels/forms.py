"""Forms of the label screens; the rules themselves live in ``services``."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import Product
from sellers.fields import MultipleFileField

from .models import LabelCriterionVerdict, LabelScheme
from .selectors import product_titles

EVIDENCE_ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
PHOTO_ACCEPT = ".jpg,.jpeg,.png,image/jpeg,image/png"


class ProductChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, queryset, **kwargs):
        super().__init__(queryset, **kwargs)
        self.titles = product_titles(queryset)

    def label_from_instance(self, product):
        return self.titles.get(product.pk) or str(product)


class LabelApplyForm(forms.Form):
    scheme = forms.ModelChoiceField(label=_("Label"), queryset=LabelScheme.objects.none())
    products = ProductChoiceField(
        label=_("Products"), queryset=Product.objects.none(), help_text=_("The products the label would cover.")
    )
    statement = forms.CharField(
        label=_("Statement"), widget=forms.Textarea(attrs={"rows": 5}), required=False, max_length=5000,
        help_text=_("How the products are made, their materials, and why they meet the label's criteria."),
    )
    evidence = MultipleFileField(
        accept=EVIDENCE_ACCEPT, label=_("Evidence"), help_text=_("Photos of the work and documents (PDF, JPEG or PNG), 10 files at most."),
    )

    def __init__(self, *args, seller, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = LabelScheme.objects.filter(country=seller.country)
        self.fields["products"] = ProductChoiceField(
            label=self.fields["products"].label, help_text=self.fields["products"].help_text,
            queryset=Product.objects.filter(seller=seller).order_by("pk"),
        )


class LabelAssignForm(forms.Form):
    inspector = forms.ModelChoiceField(label=_("Inspector"), queryset=None)
    reason = forms.CharField(
        label=_("Reason for the reassignment"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000,
        help_text=_("Needed to take the application from its inspector; kept in the application's history."),
    )

    def __init__(self, *args, inspectors, reassigning=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspector"].queryset = inspectors
        self.fields["inspector"].label_from_instance = lambda user: user.get_full_name() or user.get_username()
        if not reassigning:
            del self.fields["reason"]


class LabelInspectionForm(forms.Form):
    """A visit: a verdict and notes per criterion of the application's scheme, notes and photos."""

    visit_date = forms.DateField(
        label=_("Visit date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
    )
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=10000)
    photos = MultipleFileField(label=_("Evidence photos"), accept=PHOTO_ACCEPT, help_text=_("JPEG or PNG, 10 at most."))

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visit_date"].initial = timezone.localdate()
        self.criteria = list(criteria)
        for criterion in self.criteria:
            label = criterion.text if criterion.required else _("%(criterion)s (optional)") % {"criterion": criterion.text}
            self.fields[f"verdict_{criterion.pk}"] = forms.ChoiceField(
                label=label, choices=LabelCriterionVerdict.Verdict.choices, widget=forms.RadioSelect
            )
            self.fields[f"notes_{criterion.pk}"] = forms.CharField(
                label=_("Notes on this criterion"), required=False, max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def criterion_fields(self):
        return [(criterion, self[f"verdict_{criterion.pk}"], self[f"notes_{criterion.pk}"]) for criterion in self.criteria]

    def verdicts(self) -> dict:
        return {
            criterion.pk: (self.cleaned_data[f"verdict_{criterion.pk}"], self.cleaned_data[f"notes_{criterion.pk}"])
            for criterion in self.criteria
        }


class LabelDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), widget=forms.RadioSelect,
        choices=[("approve", _("Approve: issue the certificate")), ("reject", _("Reject"))],
    )
    level = forms.ChoiceField(label=_("Level awarded"), required=False)
    reason = forms.CharField(
        label=_("Reason or notes"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=5000,
        help_text=_("Needed for a rejection; the seller sees it."),
    )

    def __init__(self, *args, levels, **kwargs):
        super().__init__(*args, **kwargs)
        if levels:
            # (stored name, name in the reader's language) pairs, or plain names
            self.fields["level"].choices = [("", "—"), *[level if isinstance(level, tuple) else (level, level)
                                                         for level in levels]]
        else:
            del self.fields["level"]


class CertificateReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=5000)
