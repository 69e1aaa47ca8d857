import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from labels.models import LabelScheme
from tests.factories.sellers import UserFactory

pytestmark = pytest.mark.django_db


def scheme_form(**overrides):
    data = {
        "name": "National handicraft label", "name_fr": "Label national", "name_ar": "", "kind": "national_label",
        "code": "LNA", "country": "MA", "issuing_body": "Ministry", "description": "", "validity_months": "36",
        "criteria": inline_formset([{"text": "Made by hand", "required": "on"}]),
        "levels": inline_formset([]),
    }
    data.update(overrides)
    return nested_form_data(data)


class TestLabelSchemeAdmin:
    @pytest.fixture
    def admin_client(self, client):
        client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
        return client

    def test_staff_create_a_scheme_with_its_criteria(self, admin_client):
        response = admin_client.post(reverse("wagtailsnippets_labels_labelscheme:add"), scheme_form())
        assert response.status_code == 302
        scheme = LabelScheme.objects.get(code="LNA")
        assert [criterion.text for criterion in scheme.criteria.all()] == ["Made by hand"]

    def test_a_scheme_needs_at_least_one_criterion(self, admin_client):
        response = admin_client.post(
            reverse("wagtailsnippets_labels_labelscheme:add"), scheme_form(criteria=inline_formset([]))
        )
        assert response.status_code == 200
        assert not LabelScheme.objects.exists()

    @pytest.mark.parametrize(("field", "value"), [("code", "lna1"), ("validity_months", "0"), ("validity_months", "500")])
    def test_bad_codes_and_validity_are_refused(self, admin_client, field, value):
        response = admin_client.post(reverse("wagtailsnippets_labels_labelscheme:add"), scheme_form(**{field: value}))
        assert response.status_code == 200
        assert field in response.context["form"].errors
        assert not LabelScheme.objects.exists()


def test_the_code_is_two_to_five_capitals():
    with pytest.raises(ValidationError):
        LabelScheme(name="x", kind="national_label", code="L", country="MA", issuing_body="x", validity_months=12).full_clean()
