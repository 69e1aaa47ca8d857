"""Shipping addresses: normalised to each country's postal conventions, every bad field reported at once."""

from dataclasses import replace

import pytest
from django.core.exceptions import ValidationError

from marketplace.shipping.addresses import ShippingAddress, address_checked, address_rule

PARIS = ShippingAddress(
    name="Amina Benali", line1="12 rue des Archives", line2="", city="Paris", region="",
    postal_code="75003", country="FR", phone="",
)


def address(**changes: str) -> ShippingAddress:
    return replace(PARIS, **changes)


def errors_of(address: ShippingAddress) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as error:
        address_checked(address)
    return error.value.message_dict


# country, postal code as typed, as stored, one that is wrong (None where the country has no codes)
POSTAL_CODES = [
    ("MA", "20250", "20250", "2025"),
    ("FR", "75003", "75003", "7500"),
    ("DE", "10115", "10115", "101150"),
    ("ES", "28013", "28013", "53001"),
    ("IT", "00184", "00184", "0018A"),
    ("BE", "1000", "1000", "0999"),
    ("NL", "1012js", "1012 JS", "1012 SA"),
    ("PT", "1000001", "1000-001", "1000-01"),
    ("CH", "8001", "8001", "80010"),
    ("AT", "1010", "1010", "0101"),
    ("SE", "11455", "114 55", "014 55"),
    ("DK", "1050", "1050", "105"),
    ("NO", "0150", "0150", "01500"),
    ("FI", "00100", "00100", "0010"),
    ("PL", "00950", "00-950", "009-5"),
    ("IE", "d02x285", "D02 X285", "Z02 X285"),
    ("GB", "ec1a 1bb", "EC1A 1BB", "QC1A 1BB"),
    ("US", "94103", "94103", "9410"),
    ("CA", "h2x 1y4", "H2X 1Y4", "D2X 1Y4"),
    ("AU", "3000", "3000", "300"),
    ("JP", "1500002", "150-0002", "150-002"),
    ("SA", "11564", "11564", "1156"),
    ("AE", "00000", "", None),
    ("QA", "12345", "", None),
    ("CM", "BP 1234", "", None),
    ("CN", "200001", "200001", "20001"),
    ("IN", "400 001", "400001", "040001"),
    ("BR", "01310100", "01310-100", "1310-100"),
    ("MX", "06600", "06600", "6600"),
    ("TR", "34110", "34110", "82000"),
    ("TN", "1002", "1002", "10020"),
    ("DZ", "16000", "16000", "1600"),
    ("EG", "11511", "11511", "115111"),
    ("SN", "10200", "10200", "102"),
    ("CI", "01 BP 1234", "", None),
]
REGION_FOR = {"US": "CA", "CA": "QC"}


def in_country(country: str, postal_code: str) -> ShippingAddress:
    return address(country=country, postal_code=postal_code, region=REGION_FOR.get(country, ""))


class TestValidAddressesAreNormalised:
    def test_every_field_is_stripped_with_inner_whitespace_collapsed_and_the_country_upper_cased(self):
        typed = ShippingAddress(
            name="  Amina   Benali ", line1=" 12  rue des\tArchives ", line2="  ", city=" Paris ",
            region=" Île-de-France ", postal_code=" 75003 ", country=" fr ", phone="",
        )
        assert address_checked(typed) == address(region="Île-de-France")

    def test_a_british_postcode_typed_without_its_space_gets_it(self):
        typed = address(city="London", line1="10 Downing Street", postal_code="sw1a1aa", country="GB")
        assert address_checked(typed).postal_code == "SW1A 1AA"

    def test_a_canadian_postal_code_typed_without_its_space_gets_it(self):
        typed = address(city="Ottawa", region="on", postal_code="k1a0b1", country="CA")
        checked = address_checked(typed)
        assert (checked.postal_code, checked.region) == ("K1A 0B1", "ON")

    def test_a_dutch_postcode_gets_its_space_and_capitals(self):
        assert address_checked(address(city="Amsterdam", postal_code="1234ab", country="NL")).postal_code == "1234 AB"

    def test_a_us_state_typed_by_its_name_is_stored_as_its_code(self):
        typed = address(city="Santa Fe", region="new   MEXICO", postal_code="87501", country="US")
        assert address_checked(typed).region == "NM"

    def test_a_canadian_province_matches_with_or_without_its_accent(self):
        for typed in ("Québec", "QUEBEC", "qc"):
            checked = address_checked(address(city="Montréal", region=typed, postal_code="H2X 1Y4", country="CA"))
            assert checked.region == "QC"

    def test_a_zip_plus_four_typed_with_a_space_gets_its_hyphen(self):
        typed = address(city="Washington", region="DC", postal_code="20500 0003", country="US")
        assert address_checked(typed).postal_code == "20500-0003"

    def test_the_region_is_free_text_outside_the_us_and_canada(self):
        typed = address(city="Roma", region="Lazio  (RM)", postal_code="00184", country="IT")
        assert address_checked(typed).region == "Lazio (RM)"

    @pytest.mark.parametrize(("country", "typed", "stored", "_wrong"), POSTAL_CODES, ids=[row[0] for row in POSTAL_CODES])
    def test_each_country_stores_its_postal_code_in_canonical_form(self, country, typed, stored, _wrong):
        assert address_checked(in_country(country, typed)).postal_code == stored


class TestWrongPostalCodesAreRejectedWithAnExample:
    @pytest.mark.parametrize(
        ("country", "wrong"),
        [(country, wrong) for country, _typed, _stored, wrong in POSTAL_CODES if wrong is not None],
        ids=[row[0] for row in POSTAL_CODES if row[3] is not None],
    )
    def test_each_country_rejects_a_code_not_of_its_form(self, country, wrong):
        example = address_rule(country).postal_code_example
        assert errors_of(in_country(country, wrong)) == {"postal_code": [f"Enter a postal code like {example}."]}

    def test_a_missing_code_is_rejected_where_the_country_uses_them(self):
        assert errors_of(address(postal_code="")) == {"postal_code": ["Enter a postal code like 75003."]}

    def test_the_dutch_postcodes_never_issued_are_rejected(self):
        for letters in ("SA", "SD", "SS"):
            assert "postal_code" in errors_of(address(postal_code=f"1234 {letters}", country="NL"))


    @pytest.mark.parametrize("postcode", ["M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "W1A 0AX", "EC1A 1BB", "GIR 0AA"])
    def test_every_shape_of_british_postcode_is_accepted(self, postcode):
        assert address_checked(address(city="London", postal_code=postcode, country="GB")).postal_code == postcode

    @pytest.mark.parametrize("postcode", ["W1I 0AX", "AI1 1AA", "SW1A 1AC", "SW1A 1A", "V1 1AA"])
    def test_a_british_postcode_of_the_wrong_shape_or_letters_is_rejected(self, postcode):
        assert errors_of(address(city="London", postal_code=postcode, country="GB")) == {
            "postal_code": ["Enter a postal code like SW1A 1AA."]
        }


class TestOptionalAndAbsentPostalCodes:
    def test_a_postal_code_typed_for_the_emirates_is_dropped(self):
        typed = address(city="Dubai", postal_code="00000", country="AE")
        assert address_checked(typed).postal_code == ""

    def test_an_irish_address_may_have_no_eircode(self):
        assert not address_rule("IE").postal_code_required
        assert address_checked(address(city="Galway", postal_code="", country="IE")).postal_code == ""

    def test_a_country_not_listed_takes_a_short_free_code_or_none(self):
        assert address_checked(address(city="Nairobi", postal_code="00100", country="KE")).postal_code == "00100"
        assert address_checked(address(city="Nairobi", postal_code="", country="KE")).postal_code == ""

    def test_a_country_not_listed_rejects_a_code_of_symbols_or_too_long(self):
        for wrong in ("#12", "ABCDEFGHIJKLM"):
            assert errors_of(address(city="Nairobi", postal_code=wrong, country="KE")) == {
                "postal_code": ["Enter a postal code of at most 12 letters, digits, spaces or hyphens."]
            }


class TestAddressRules:
    def test_the_us_lists_the_fifty_states_and_dc_and_canada_its_thirteen_provinces_and_territories(self):
        us, canada = address_rule("us"), address_rule("CA")
        assert us.region_required and canada.region_required
        assert len(us.regions) == 51 and us.regions["DC"] == "District of Columbia"
        assert len(canada.regions) == 13 and canada.regions["YT"] == "Yukon"

    def test_other_countries_take_a_free_optional_region(self):
        rule = address_rule("FR")
        assert (rule.region_required, rule.regions) == (False, None)

    def test_a_country_without_postal_codes_has_no_pattern_and_no_example(self):
        rule = address_rule("QA")
        assert (rule.postal_code_pattern, rule.postal_code_example, rule.postal_code_required) == (None, "", False)

    def test_a_country_not_listed_gets_the_generic_rule(self):
        rule = address_rule("KE")
        assert rule.postal_code_pattern is not None and rule.postal_code_example == ""
        assert not rule.postal_code_required and not rule.region_required


class TestEveryBadFieldIsReportedAtOnce:
    def test_missing_name_street_town_and_country_are_reported_together(self):
        empty = ShippingAddress(name=" ", line1="", line2="", city="", region="", postal_code="", country="",
                                phone="")
        assert errors_of(empty) == {
            "name": ["Enter the recipient's name."],
            "line1": ["Enter the street address."],
            "city": ["Enter the town or city."],
            "country": ["Choose a country."],
        }

    def test_a_us_address_without_state_zip_or_name_names_all_three(self):
        typed = address(name="", city="Boston", region="", postal_code="", country="US")
        assert errors_of(typed) == {
            "name": ["Enter the recipient's name."],
            "region": ["Choose a state, e.g. NY or New York."],
            "postal_code": ["Enter a postal code like 10001."],
        }

    def test_a_region_outside_the_closed_list_is_rejected(self):
        assert errors_of(address(city="Toronto", region="Texas", postal_code="M5V 2T6", country="CA")) == {
            "region": ["Choose a province or territory, e.g. ON or Ontario."]
        }

    def test_fields_longer_than_their_limit_are_rejected(self):
        assert errors_of(address(name="x" * 121, line2="y" * 201, city="z" * 101)) == {
            "name": ["Use at most 120 characters."],
            "line2": ["Use at most 200 characters."],
            "city": ["Use at most 100 characters."],
        }


class TestUnknownCountry:
    @pytest.mark.parametrize("country", ["XX", "France", "F"])
    def test_a_code_not_in_iso_3166_is_rejected(self, country):
        assert errors_of(address(country=country)) == {"country": ["Choose a country."]}


class TestPhone:
    @pytest.mark.parametrize(
        ("typed", "stored"),
        [
            ("+33 1 23 45 67 89", "+33123456789"),
            ("(212) 555-0100", "2125550100"),
            ("+212.5.22.12.34.56", "+212522123456"),
            ("+44 (0)20 7946 0958", "+442079460958"),
            ("", ""),
        ],
    )
    def test_a_phone_keeps_only_its_plus_and_digits(self, typed, stored):
        assert address_checked(address(phone=typed)).phone == stored

    @pytest.mark.parametrize("typed", ["12345", "+1 2345 6789 0123 4567 8901", "+33 1 23 AB 67 89", "33+123456789"])
    def test_a_phone_too_short_too_long_or_with_other_characters_is_rejected(self, typed):
        assert errors_of(address(phone=typed)) == {
            "phone": ["Enter a phone number with its country code, e.g. +33 1 23 45 67 89."]
        }


class TestParcelLabel:
    def test_a_french_label_puts_the_postal_code_before_the_town_and_skips_empty_lines(self):
        assert address_checked(PARIS).lines() == ["Amina Benali", "12 rue des Archives", "75003 Paris", "FR"]

    def test_a_us_label_puts_town_state_and_zip_on_one_line(self):
        typed = address(line2="Apt 4", city="New York", region="New York", postal_code="10001", country="us")
        assert address_checked(typed).lines() == ["Amina Benali", "12 rue des Archives", "Apt 4", "New York NY 10001",
                                                  "US"]

    def test_a_british_label_puts_the_postcode_on_its_own_line(self):
        typed = address(line1="221B Baker Street", city="London", postal_code="NW16XE", country="GB")
        assert address_checked(typed).lines() == ["Amina Benali", "221B Baker Street", "London", "NW1 6XE", "GB"]
