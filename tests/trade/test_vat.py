"""VAT numbers: their format per country, and the checks (offline format, the EU's VIES service)."""

import pytest
from django.core.exceptions import ValidationError

from marketplace.trade.vat import FormatVatChecker, ViesVatChecker, vat_number_normalised
from tests.trade.vies_standin import ViesStandIn


class TestFormats:
    @pytest.mark.parametrize(("typed", "country", "stored"), [
        ("NL004495445B01", "NL", "NL004495445B01"),
        ("nl 0044.95445.b01", "NL", "NL004495445B01"),
        ("004495445B01", "NL", "NL004495445B01"),  # the prefix added
        ("DE 136 695 976", "DE", "DE136695976"),
        ("FR40303265045", "FR", "FR40303265045"),
        ("BE0403019261", "BE", "BE0403019261"),
        ("EL094259216", "GR", "EL094259216"),
        ("GR094259216", "GR", "EL094259216"),  # Greece writes EL
        ("094259216", "GR", "EL094259216"),
        ("GB980780684", "GB", "GB980780684"),
        ("XI980780684", "GB", "XI980780684"),  # Northern Ireland
        ("", "NL", ""),
    ])
    def test_a_valid_number_is_stored_with_its_prefix_and_no_punctuation(self, typed, country, stored):
        assert vat_number_normalised(typed, country) == stored

    @pytest.mark.parametrize(("typed", "country", "code"), [
        ("NL004495445B0", "NL", "vat_invalid"),  # a digit short
        ("DE136695977", "DE", "vat_invalid"),  # wrong check digit
        ("FR00303265045", "FR", "vat_invalid"),
        ("GB980780685", "GB", "vat_invalid"),
        ("DE136695976", "NL", "vat_country"),  # another country's number
        ("123456789", "US", "vat_unsupported"),
        ("'; DROP TABLE--", "NL", "vat_country"),
    ])
    def test_a_malformed_number_is_refused_saying_why(self, typed, country, code):
        with pytest.raises(ValidationError) as raised:
            vat_number_normalised(typed, country)
        assert raised.value.code == code


class TestCheckers:
    def test_the_format_checker_says_valid_for_a_well_formed_number_and_names_itself(self):
        assert FormatVatChecker().check("NL004495445B01").valid is True
        result = FormatVatChecker().check("DE136695977")
        assert result.valid is False and result.source == "format"

    def test_vies_says_a_registered_number_is_valid_with_its_registered_name(self):
        with ViesStandIn(registered={"NL004495445B01": "INTERIEUR WINKEL B.V."}) as vies:
            result = ViesVatChecker(url=vies.url, timeout=5).check("NL004495445B01")
        assert (result.valid, result.source, result.registered_name) == (True, "vies", "INTERIEUR WINKEL B.V.")
        assert vies.requests == [{"countryCode": "NL", "vatNumber": "004495445B01"}]

    def test_vies_says_an_unregistered_number_is_not_valid(self):
        with ViesStandIn(registered={}) as vies:
            result = ViesVatChecker(url=vies.url, timeout=5).check("DE136695976")
        assert result.valid is False and result.registered_name == ""

    @pytest.mark.parametrize("trouble", [{"unavailable": True}, {"broken": True}])
    def test_a_member_state_or_vies_down_leaves_the_number_not_checked(self, trouble):
        with ViesStandIn(**trouble) as vies:
            result = ViesVatChecker(url=vies.url, timeout=5).check("NL004495445B01")
        assert result.valid is None and result.message

    def test_no_server_at_all_leaves_the_number_not_checked(self):
        with ViesStandIn() as vies:
            url = vies.url
        assert ViesVatChecker(url=url, timeout=2).check("NL004495445B01").valid is None

    def test_uk_numbers_are_not_in_vies_and_are_checked_for_their_format(self):
        with ViesStandIn() as vies:
            result = ViesVatChecker(url=vies.url, timeout=5).check("GB980780684")
        assert result.valid is True and result.source == "format" and vies.requests == []
