import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from sellers.models import Seller
from sellers.registers import register_number_normalise
from tests.factories.sellers import SellerFactory, region

pytestmark = pytest.mark.django_db


def build(**fields):
    values = {
        "kind": Seller.Kind.COOPERATIVE, "legal_name": "Coopérative Tifaouine", "slug": "tifaouine",
        "country": "MA", "register_number": "2317/2009", "region": region("MA-08"), "email": "a@b.example",
    }
    values.update(fields)
    return Seller(**values)


class TestRegisterNumberFormat:
    @pytest.mark.parametrize(
        ("country", "kind", "number", "region_code"),
        [
            ("MA", "cooperative", "2317/2009", "MA-08"),
            ("MA", "artisan", "rna-00412345", "MA-03"),
            ("MA", "master_artisan", "RNA 00412345", "MA-03"),
            ("MA", "enterprise", "001525987000065", "MA-06"),
            ("CM", "cooperative", "OU/BAF/2021/COOP/0087", "CM-OU"),
            ("CM", "enterprise", "M012345678901A", "CM-CE"),
        ],
    )
    def test_numbers_in_the_country_format_are_accepted(self, country, kind, number, region_code):
        build(country=country, kind=kind, register_number=number, region=region(region_code)).full_clean()

    @pytest.mark.parametrize(
        ("kind", "number", "example"),
        [("cooperative", "ABC", "2317/2019"), ("enterprise", "12345", "001525987000065"), ("artisan", "2317/2019", "RNA-00412345")],
    )
    def test_a_number_in_the_wrong_format_is_refused_with_an_example(self, kind, number, example):
        with pytest.raises(ValidationError) as error:
            build(kind=kind, register_number=number).full_clean()
        assert example in error.value.message_dict["register_number"][0]

    def test_the_region_must_be_in_the_sellers_country(self):
        with pytest.raises(ValidationError) as error:
            build(region=region("CM-OU")).full_clean()
        assert "region" in error.value.message_dict

    def test_a_seller_may_register_without_a_number(self):
        build(register_number="").full_clean()


class TestDuplicateSellers:
    def test_normalising_ignores_case_spaces_and_separators(self):
        assert register_number_normalise(" rna-004 123.45 ") == register_number_normalise("RNA00412345")

    def test_the_same_number_written_differently_is_refused(self):
        SellerFactory(kind="artisan", register_number="RNA-00412345")
        duplicate = build(kind="artisan", slug="other", register_number="rna 00412345")
        with pytest.raises(ValidationError) as error:
            duplicate.full_clean()
        assert "already registered" in str(error.value)
        with pytest.raises(IntegrityError):
            duplicate.save()

    def test_many_sellers_may_be_awaiting_a_number(self):
        SellerFactory(register_number="")
        SellerFactory(register_number="")
        assert Seller.objects.filter(register_number="").count() == 2
