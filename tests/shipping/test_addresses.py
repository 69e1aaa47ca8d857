"""Shipping addresses: normalised to each country's postal conventions, every bad field reported at once."""

import socket
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
    ("ES", "28013", "28013", "08001"),  # a Barcelona code for a Madrid address
    ("IT", "00184", "00184", "0018A"),
    ("BE", "1000", "1000", "10000"),
    ("NL", "1012js", "1012 JS", "1012 SA"),
    ("PT", "1000001", "1000-001", "1000-01"),
    ("CH", "8001", "8001", "80010"),
    ("AT", "1010", "1010", "101"),
    ("SE", "114 55", "11455", "114 5"),  # as the address data writes Swedish codes
    ("DK", "1050", "1050", "105"),
    ("NO", "0150", "0150", "01500"),
    ("FI", "00100", "00100", "0010"),
    ("PL", "00950", "00-950", "009-5"),
    ("IE", "d02x285", "D02 X285", "D02 X28"),
    ("GB", "ec1a 1bb", "EC1A 1BB", "QC1A 1BB"),
    ("US", "94103", "94103", "10001"),  # a New York ZIP for a Californian address
    ("CA", "h2x 1y4", "H2X 1Y4", "D2X 1Y4"),
    ("AU", "3000", "3000", "300"),
    ("JP", "1500002", "150-0002", "150-002"),
    ("SA", "11564", "11564", "1156"),
    ("AE", "00000", "", None),
    ("QA", "12345", "", None),
    ("CM", "BP 1234", "", None),
    ("IN", "400 001", "400001", "40001"),
    ("BR", "01310100", "01310-100", "1310-100"),
    ("MX", "06600", "06600", "6600"),
    ("TR", "34110", "34110", "3411"),
    ("TN", "1002", "1002", "10020"),
    ("DZ", "16000", "16000", "1600"),
    ("EG", "11511", "11511", "115111"),
    ("SN", "10200", "10200", "102"),
    ("CI", "01 BP 1234", "", None),
]
# Where the country requires its region (and may tie the postal code or the town to it).
REGION_FOR = {"US": "CA", "CA": "QC", "ES": "Madrid", "IT": "RM", "AU": "VIC", "JP": "Tokyo", "IN": "Maharashtra",
              "BR": "SP", "MX": "CDMX", "AE": "Dubai"}
CITY_FOR = {"BR": "São Paulo"}


def in_country(country: str, postal_code: str) -> ShippingAddress:
    return address(country=country, postal_code=postal_code, region=REGION_FOR.get(country, ""),
                   city=CITY_FOR.get(country, "Paris"))


class TestValidAddressesAreNormalised:
    def test_every_field_is_stripped_with_inner_whitespace_collapsed_and_the_country_upper_cased(self):
        typed = ShippingAddress(
            name="  Amina   Benali ", line1=" 12  rue des\tArchives ", line2="  ", city=" Paris ",
            region=" Île-de-France ", postal_code=" 75003 ", country=" fr ", phone="",
        )
        assert address_checked(typed) == address(region="Île-de-France")

    def test_a_french_postcode_typed_with_a_space_is_stored_as_the_post_writes_it(self):
        assert address_checked(address(postal_code="75 003")).postal_code == "75003"

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

    def test_a_region_keyed_in_another_script_is_stored_by_its_latin_name(self):
        assert address_checked(address(city="Dubai", region="dubai", postal_code="", country="AE")).region == "Dubai"
        assert address_checked(address(city="Shibuya", region="東京都", postal_code="1500002", country="JP")).region \
            == "Tokyo"

    def test_a_zip_plus_four_typed_with_a_space_gets_its_hyphen(self):
        typed = address(city="Washington", region="DC", postal_code="20500 0003", country="US")
        assert address_checked(typed).postal_code == "20500-0003"

    def test_the_region_is_free_text_where_the_country_has_no_list(self):
        typed = address(city="Köln", region="Nordrhein-  Westfalen", postal_code="50667", country="DE")
        assert address_checked(typed).region == "Nordrhein- Westfalen"

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
        example = address_rule(country, REGION_FOR.get(country, "")).postal_code_example
        assert example
        assert errors_of(in_country(country, wrong)) == {"postal_code": [f"Enter a postal code like {example}."]}

    def test_a_bad_us_zip_is_refused_naming_the_field_with_an_example_of_the_state(self):
        errors = errors_of(address(city="San Francisco", region="CA", postal_code="1234", country="US"))
        assert list(errors) == ["postal_code"]
        (message,) = errors["postal_code"]
        example = message.removeprefix("Enter a postal code like ").removesuffix(".")
        assert example.startswith("9") and address_checked(
            address(city="San Francisco", region="CA", postal_code=example, country="US")).postal_code == example

    def test_a_missing_code_is_rejected_where_the_country_uses_them(self):
        example = address_rule("FR").postal_code_example
        assert errors_of(address(postal_code="")) == {"postal_code": [f"Enter a postal code like {example}."]}

    def test_the_dutch_postcodes_never_issued_are_rejected(self):
        for letters in ("SA", "SD", "SS"):
            assert "postal_code" in errors_of(address(postal_code=f"1234 {letters}", country="NL"))

    @pytest.mark.parametrize("postcode", ["M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "W1A 0AX", "EC1A 1BB", "GIR 0AA"])
    def test_every_shape_of_british_postcode_is_accepted(self, postcode):
        assert address_checked(address(city="London", postal_code=postcode, country="GB")).postal_code == postcode

    @pytest.mark.parametrize("postcode", ["QA1 1AA", "SW1A 1AC", "SW1A 1A", "V1 1AA"])
    def test_a_british_postcode_of_the_wrong_shape_or_letters_is_rejected(self, postcode):
        example = address_rule("GB").postal_code_example
        assert errors_of(address(city="London", postal_code=postcode, country="GB")) == {
            "postal_code": [f"Enter a postal code like {example}."]
        }

    def test_a_postal_code_far_too_long_is_refused_quickly(self):
        assert "postal_code" in errors_of(address(city="London", postal_code="A1" * 5000, country="GB"))


class TestOptionalAndAbsentPostalCodes:
    def test_a_postal_code_typed_for_the_emirates_is_dropped(self):
        typed = address(city="Dubai", region="Dubai", postal_code="00000", country="AE")
        assert address_checked(typed).postal_code == ""

    def test_an_irish_address_may_have_no_eircode(self):
        assert not address_rule("IE").postal_code_required
        assert address_checked(address(city="Galway", postal_code="", country="IE")).postal_code == ""

    def test_a_moroccan_address_may_have_no_code_but_a_typed_one_must_fit(self):
        assert address_checked(address(city="Fès", postal_code="", country="MA")).postal_code == ""
        assert "postal_code" in errors_of(address(city="Fès", postal_code="3000", country="MA"))


class TestAddressRules:
    def test_the_us_requires_a_state_from_its_list_and_canada_a_province(self):
        us, canada = address_rule("us"), address_rule("CA")
        assert us.region_required and canada.region_required
        assert us.regions["DC"] == "District of Columbia" and us.region_kind == "state"
        assert canada.regions["YT"] == "Yukon" and canada.region_kind == "province"

    def test_france_takes_no_region_list(self):
        rule = address_rule("FR")
        assert (rule.region_required, rule.regions) == (False, None)

    def test_a_country_without_postal_codes_says_so(self):
        rule = address_rule("QA")
        assert (rule.postal_code_used, rule.postal_code_example, rule.postal_code_required) == (False, "", False)

    def test_the_rules_are_read_offline(self, monkeypatch):
        def no_network(*args, **kwargs):
            raise AssertionError("the address data must not be fetched")

        monkeypatch.setattr(socket.socket, "connect", no_network)
        assert address_checked(address(city="Ottawa", region="ON", postal_code="K1A0B1", country="CA"))


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
            "region": ["Choose a state, e.g. AL or Alabama."],
            "postal_code": [f"Enter a postal code like {address_rule('US').postal_code_example}."],
        }

    def test_a_region_outside_the_closed_list_is_rejected(self):
        assert errors_of(address(city="Toronto", region="Texas", postal_code="M5V 2T6", country="CA")) == {
            "region": ["Choose a province, e.g. AB or Alberta."]
        }

    def test_an_italian_address_needs_its_province(self):
        assert errors_of(address(city="Roma", region="Lazio", postal_code="00184", country="IT")) == {
            "region": ["Choose a province, e.g. AG or Agrigento."]
        }
        assert address_checked(address(city="Roma", region="roma", postal_code="00184", country="IT")).region == "RM"

    def test_fields_longer_than_their_limit_are_rejected(self):
        assert errors_of(address(name="x" * 121, line2="y" * 201, city="z" * 101)) == {
            "name": ["Use at most 120 characters."],
            "line2": ["Use at most 200 characters."],
            "city": ["Use at most 100 characters."],
        }


class TestUnknownCountry:
    @pytest.mark.parametrize("country", ["XX", "France", "F", "ZZ", "../fr", "ÉÉ"])
    def test_a_code_not_in_iso_3166_is_rejected(self, country):
        assert errors_of(address(country=country)) == {"country": ["Choose a country."]}


PHONE_MESSAGE = "Enter a phone number of the destination country, or with its country code, e.g. +33 6 12 34 56 78."


class TestPhone:
    @pytest.mark.parametrize(
        ("typed", "country", "stored"),
        [
            ("06 12 34 56 78", "FR", "+33612345678"),
            ("+33 1 23 45 67 89", "FR", "+33123456789"),
            ("(212) 555-0100", "US", "+12125550100"),
            ("+212.5.22.12.34.56", "FR", "+212522123456"),
            ("+44 (0)20 7946 0958", "FR", "+442079460958"),
            ("0612345678", "MA", "+212612345678"),
            ("", "FR", ""),
        ],
    )
    def test_a_phone_is_stored_in_e164_a_national_one_as_the_destinations(self, typed, country, stored):
        region = REGION_FOR.get(country, "")
        postal_code = {"US": "94103", "MA": "20250"}.get(country, "75003")
        assert address_checked(address(phone=typed, country=country, region=region, postal_code=postal_code)).phone \
            == stored

    @pytest.mark.parametrize("typed", ["12345", "(212) 555-0100", "+1 2345 6789 0123 4567 8901", "+33 1 23 AB 67 89",
                                       "33+123456789", "+33 6 12"])
    def test_a_number_that_cannot_be_dialled_is_rejected(self, typed):
        assert errors_of(address(phone=typed)) == {"phone": [PHONE_MESSAGE]}

    def test_a_phone_is_optional(self):
        assert address_checked(address(phone="  ")).phone == ""


class TestParcelLabel:
    def test_a_french_label_puts_the_postal_code_before_the_town_and_the_country_last(self):
        lines = address_checked(PARIS).lines()
        assert lines[:2] == ["Amina Benali", "12 rue des Archives"]
        assert lines[2].startswith("75003 ") and lines[2].casefold().endswith("paris")
        assert lines[-1].casefold() == "france" and "" not in lines

    def test_a_us_label_puts_town_state_and_zip_on_one_line(self):
        typed = address(line2="Apt 4", city="New York", region="New York", postal_code="10001", country="us")
        lines = address_checked(typed).lines()
        assert lines[:3] == ["Amina Benali", "12 rue des Archives", "Apt 4"]
        assert lines[3].casefold().startswith("new york") and lines[3].endswith("NY 10001")

    def test_a_british_label_puts_the_postcode_on_its_own_line(self):
        typed = address(line1="221B Baker Street", city="London", postal_code="NW16XE", country="GB")
        lines = address_checked(typed).lines()
        assert lines[1:4] == ["221B Baker Street", lines[2], "NW1 6XE"] and lines[2].casefold() == "london"
