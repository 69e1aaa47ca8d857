from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DESCRIPTION_MAX_LENGTH, Notice


class NoticeForm(forms.Form):
    reason = forms.ChoiceField(label=_("What is wrong with this product?"), choices=Notice.Reason.choices,
                               widget=forms.RadioSelect)
    description = forms.CharField(
        label=_("Describe the problem"), max_length=DESCRIPTION_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What you saw, and why you think it is unsafe, counterfeit or misleading."))
    reporter_email = forms.EmailField(
        label=_("Your email (optional)"), required=False, max_length=254,
        help_text=_("To be told what the chamber decided. Leave it empty to report anonymously."))
    confirm = forms.BooleanField(label=_("I believe that what I wrote is accurate and complete."))


class NoticeDecisionForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Decision"), widget=forms.RadioSelect,
        choices=[(Notice.Status.ACTION_TAKEN, _("Action taken")), (Notice.Status.NO_ACTION, _("No action"))])
    outcome_note = forms.CharField(
        label=_("Outcome and reasons"), max_length=DESCRIPTION_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Sent to the reporter, if they gave an email, in the language of the report."))
    unpublish = forms.BooleanField(
        label=_("Unpublish the product's pages"), required=False,
        help_text=_("Takes the product off the site in every language (its seller can still see it)."))
