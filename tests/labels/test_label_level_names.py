"""Quality-label level names ("Gold") are read in the reader's language; certificates keep the English name."""

import pytest
from django.utils import translation

from labels.models import LabelLevel
from labels.selectors import certificate_public_record, label_level_name, product_active_labels
from tests.factories.catalog import product_create, seller_pages
from tests.factories.labels import certificate_issue, inspector_create, scheme_create
from tests.factories.sellers import SellerFactory, SellerMemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def gold(tree):
    seller = SellerFactory()
    product = product_create(seller_pages(tree, seller))
    scheme = scheme_create(levels=("Bronze", "Gold"))
    LabelLevel.objects.filter(scheme=scheme, name="Gold").update(name_fr="Or", name_ar="ذهبي")
    member = SellerMemberFactory(seller=seller).user
    return certificate_issue(scheme, (member, seller, product), inspector_create(), level="Gold"), product


def test_the_level_is_named_in_each_language(gold):
    certificate, _product = gold
    assert certificate.level == "Gold"
    for language, name in (("en", "Gold"), ("fr", "Or"), ("ar", "ذهبي")):
        with translation.override(language):
            assert label_level_name(scheme_id=certificate.scheme_id, level="Gold") == name


def test_badges_and_the_public_record_show_the_translated_level(gold):
    certificate, product = gold
    with translation.override("fr"):
        (label,) = product_active_labels(product_ids=[product.pk])[product.pk]
        assert label.level == "Or"
        record = certificate_public_record(certificate.number)
        assert record["level"] == "Gold" and record["level_name"] == "Or"


def test_a_level_without_a_translation_falls_back_to_english(gold):
    certificate, _product = gold
    with translation.override("fr"):
        assert label_level_name(scheme_id=certificate.scheme_id, level="Bronze") == "Bronze"
        assert label_level_name(scheme_id=certificate.scheme_id, level="Gone") == "Gone"
