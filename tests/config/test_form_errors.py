from django import forms
from django.core.exceptions import ValidationError

from config.form_errors import form_errors_add


class NoteForm(forms.Form):
    title = forms.CharField()
    weight_kg = forms.DecimalField(required=False)


def _form():
    form = NoteForm({"title": "Rug", "weight_kg": "1"})
    assert form.is_valid()
    return form


class TestFormErrorsAdd:
    def test_a_field_the_form_has_gets_its_messages(self):
        form = _form()
        form_errors_add(form, ValidationError({"title": "Too short."}))
        assert form.errors == {"title": ["Too short."]}

    def test_a_field_the_form_lacks_goes_above_the_form(self):
        form = _form()
        form_errors_add(form, ValidationError({"hs_code": "Unknown code.", "__all__": "Not now."}))
        assert form.non_field_errors() == ["Unknown code.", "Not now."]
        assert "hs_code" not in form.errors

    def test_a_message_without_a_field_goes_above_the_form(self):
        form = _form()
        form_errors_add(form, ValidationError(["First.", "Second."]))
        assert form.non_field_errors() == ["First.", "Second."]

    def test_a_renamed_field_reaches_the_form_field_and_one_renamed_to_none_goes_above(self):
        form = _form()
        form_errors_add(form, ValidationError({"weight_grams": "Too heavy.", "origin_region": "Unknown region."}),
                        renamed={"weight_grams": "weight_kg", "origin_region": None})
        assert form.errors["weight_kg"] == ["Too heavy."]
        assert form.non_field_errors() == ["Unknown region."]
