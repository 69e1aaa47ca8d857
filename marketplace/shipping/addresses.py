"""Shipping addresses: normalised and checked against the destination country's postal rules."""

import re
import unicodedata
from dataclasses import dataclass, fields, replace

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .countries import ISO_COUNTRY_CODES

# How the town, region and postal code go on a label; every other country writes "75003 Paris".
_CITY_REGION_POSTAL_CODE = frozenset(["AU", "BR", "CA", "CN", "IN", "JP", "SA", "US"])
_POSTAL_CODE_ON_ITS_OWN_LINE = frozenset(["GB", "IE"])

_MAX_LENGTHS = {
    "name": 120, "line1": 200, "line2": 200, "city": 100, "region": 100, "postal_code": 16, "phone": 32,
}
_GENERIC_POSTAL_CODE_LENGTH = 12
_PHONE_DIGITS = range(6, 21)


@dataclass(frozen=True)
class ShippingAddress:
    name: str
    line1: str
    line2: str
    city: str
    region: str  # state / province / county; required only where the country needs it
    postal_code: str
    country: str  # ISO 3166-1 alpha-2
    phone: str

    def lines(self) -> list[str]:
        """The address as printed on a parcel label: no empty lines, the country code last."""
        if self.country in _CITY_REGION_POSTAL_CODE:
            locality = [" ".join(filter(None, [self.city, self.region, self.postal_code]))]
        elif self.country in _POSTAL_CODE_ON_ITS_OWN_LINE:
            locality = [self.city, self.region, self.postal_code]
        else:
            locality = [" ".join(filter(None, [self.postal_code, self.city])), self.region]
        return [line for line in [self.name, self.line1, self.line2, *locality, self.country] if line]


@dataclass(frozen=True)
class AddressRule:
    postal_code_pattern: str | None  # regex of the normalised code; None = the country has no postal codes
    postal_code_example: str  # shown as a hint, "" when none
    region_required: bool
    regions: dict[str, str] | None  # allowed region codes -> names where the list is closed, else None

    @property
    def postal_code_required(self) -> bool:
        # An optional code is one whose pattern also accepts nothing (Eircodes, countries not listed).
        return self.postal_code_pattern is not None and re.fullmatch(self.postal_code_pattern, "") is None


# Proper names, left untranslated: the code is what is stored and printed, and typed names are
# matched in the form the carriers use.
_US_STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana",
    "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland",
    "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri",
    "MT": "Montana", "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire", "NJ": "New Jersey",
    "NM": "New Mexico", "NY": "New York", "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio",
    "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina",
    "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont",
    "VA": "Virginia", "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
}
_CANADIAN_PROVINCES = {
    "AB": "Alberta", "BC": "British Columbia", "MB": "Manitoba", "NB": "New Brunswick",
    "NL": "Newfoundland and Labrador", "NS": "Nova Scotia", "NT": "Northwest Territories", "NU": "Nunavut",
    "ON": "Ontario", "PE": "Prince Edward Island", "QC": "Quebec", "SK": "Saskatchewan", "YT": "Yukon",
}
_REGION_MESSAGES = {
    "US": gettext_lazy("Choose a state, e.g. NY or New York."),
    "CA": gettext_lazy("Choose a province or territory, e.g. ON or Ontario."),
}

# Royal Mail's rules: which letters may stand in each place of the outward code, and the inward code
# never uses C, I, K, M, O or V.
_UK_POSTCODE = (
    r"(?:GIR 0AA|(?:[A-PR-UWYZ]\d{1,2}|[A-PR-UWYZ][A-HK-Y]\d{1,2}|[A-PR-UWYZ]\d[A-HJKPSTUW]"
    r"|[A-PR-UWYZ][A-HK-Y]\d[ABEHMNPRVWXY]) \d[ABD-HJLNP-UW-Z]{2})"
)
_EIRCODE = r"(?:(?:[AC-FHKNPRTV-Y]\d{2}|D6W) [0-9AC-FHKNPRTV-Y]{4})?"
_CANADIAN_POSTAL_CODE = r"[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] \d[ABCEGHJ-NPRSTV-Z]\d"


def _postal(pattern: str | None, example: str = "") -> AddressRule:
    return AddressRule(postal_code_pattern=pattern, postal_code_example=example, region_required=False, regions=None)


_NO_POSTAL_CODES = _postal(None)
# Up to _GENERIC_POSTAL_CODE_LENGTH characters, starting and ending with a letter or digit.
_GENERIC_RULE = _postal(r"(?:[A-Z0-9](?:[A-Z0-9 -]{0,10}[A-Z0-9])?)?")
_RULES = {
    "AE": _NO_POSTAL_CODES,
    "AT": _postal(r"[1-9]\d{3}", "1010"),
    "AU": _postal(r"\d{4}", "2000"),
    "BE": _postal(r"[1-9]\d{3}", "1000"),
    "BR": _postal(r"\d{5}-\d{3}", "01310-100"),
    "CA": AddressRule(postal_code_pattern=_CANADIAN_POSTAL_CODE, postal_code_example="K1A 0B1",
                      region_required=True, regions=_CANADIAN_PROVINCES),
    "CH": _postal(r"[1-9]\d{3}", "8001"),
    "CI": _NO_POSTAL_CODES,
    "CM": _NO_POSTAL_CODES,
    "CN": _postal(r"\d{6}", "100000"),
    "DE": _postal(r"\d{5}", "10115"),
    "DK": _postal(r"\d{4}", "1050"),
    "DZ": _postal(r"\d{5}", "16000"),
    "EG": _postal(r"\d{5}", "11511"),
    "ES": _postal(r"(?:0[1-9]|[1-4]\d|5[0-2])\d{3}", "28013"),
    "FI": _postal(r"\d{5}", "00100"),
    "FR": _postal(r"\d{5}", "75003"),
    "GB": _postal(_UK_POSTCODE, "SW1A 1AA"),
    "IE": _postal(_EIRCODE, "A65 F4E2"),
    "IN": _postal(r"[1-9]\d{5}", "110001"),
    "IT": _postal(r"\d{5}", "00184"),
    "JP": _postal(r"\d{3}-\d{4}", "100-0001"),
    "MA": _postal(r"\d{5}", "20250"),
    "MX": _postal(r"\d{5}", "06000"),
    "NL": _postal(r"[1-9]\d{3} (?!SA|SD|SS)[A-Z]{2}", "1234 AB"),
    "NO": _postal(r"\d{4}", "0150"),
    "PL": _postal(r"\d{2}-\d{3}", "00-950"),
    "PT": _postal(r"[1-9]\d{3}-\d{3}", "1000-001"),
    "QA": _NO_POSTAL_CODES,
    "SA": _postal(r"\d{5}(?:-\d{4})?", "11564"),
    "SE": _postal(r"[1-9]\d{2} \d{2}", "123 45"),
    "SN": _postal(r"\d{5}", "12500"),
    "TN": _postal(r"\d{4}", "1000"),
    "TR": _postal(r"(?:0[1-9]|[1-7]\d|8[01])\d{3}", "34110"),
    "US": AddressRule(postal_code_pattern=r"\d{5}(?:-\d{4})?", postal_code_example="10001",
                      region_required=True, regions=_US_STATES),
}


def address_rule(country: str) -> AddressRule:
    """The postal code and region rules of a country; a permissive generic rule for countries not listed."""
    return _RULES.get(country.strip().upper(), _GENERIC_RULE)


def address_checked(address: ShippingAddress) -> ShippingAddress:
    """The address normalised; raises ValidationError({field: [messages]}) naming every bad field at once."""
    values = {field.name: _collapsed(getattr(address, field.name)) for field in fields(ShippingAddress)}
    errors: dict[str, str] = {}
    required = {
        "name": _("Enter the recipient's name."),
        "line1": _("Enter the street address."),
        "city": _("Enter the town or city."),
    }
    for name, message in required.items():
        if not values[name]:
            errors[name] = message

    values["country"] = country = values["country"].upper()
    if country not in ISO_COUNTRY_CODES:
        errors["country"] = _("Choose a country.")
    else:
        rule = address_rule(country)
        postal_code = _postal_code_normalised(values["postal_code"], rule=rule)
        if postal_code is None:
            errors["postal_code"] = _postal_code_message(rule)
        else:
            values["postal_code"] = postal_code
        region = values["region"]
        if rule.region_required and not region:
            errors["region"] = _REGION_MESSAGES[country]
        elif region and rule.regions is not None:
            code = _region_code(region, regions=rule.regions)
            if code is None:
                errors["region"] = _REGION_MESSAGES[country]
            else:
                values["region"] = code

    if values["phone"]:
        phone = _phone_normalised(values["phone"])
        if phone is None:
            errors["phone"] = _("Enter a phone number with its country code, e.g. +33 1 23 45 67 89.")
        else:
            values["phone"] = phone

    for name, limit in _MAX_LENGTHS.items():
        if name not in errors and len(values[name]) > limit:
            errors[name] = _("Use at most %(limit)d characters.") % {"limit": limit}

    if errors:
        raise ValidationError(
            {field.name: [errors[field.name]] for field in fields(ShippingAddress) if field.name in errors}
        )
    return replace(address, **values)


def _collapsed(text: str) -> str:
    return " ".join(text.split())


def _postal_code_normalised(code: str, *, rule: AddressRule) -> str | None:
    """The code in the country's canonical form, "" where the country has none; None when it does not fit."""
    if rule.postal_code_pattern is None:
        # Shoppers type a code out of habit (or a form elsewhere asked for one); it is not an error.
        return ""
    code = code.upper()
    compact = re.sub(r"[ -]", "", code)
    # A separator typed in the wrong place or not at all is put where the country writes it; the
    # patterns fix its position, so at most one placement fits.
    candidates = [code, compact] + [
        compact[:index] + separator + compact[index:] for index in range(1, len(compact)) for separator in " -"
    ]
    return next((candidate for candidate in candidates if re.fullmatch(rule.postal_code_pattern, candidate)), None)


def _postal_code_message(rule: AddressRule) -> str:
    if rule.postal_code_example:
        return _("Enter a postal code like %(example)s.") % {"example": rule.postal_code_example}
    return _("Enter a postal code of at most %(limit)d letters, digits, spaces or hyphens.") % {
        "limit": _GENERIC_POSTAL_CODE_LENGTH
    }


def _region_code(region: str, *, regions: dict[str, str]) -> str | None:
    wanted = _folded(region)
    return next((code for code, name in regions.items() if wanted in (_folded(code), _folded(name))), None)


def _folded(text: str) -> str:
    # "Québec" and "QUEBEC" are the same province.
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def _phone_normalised(phone: str) -> str | None:
    if not re.fullmatch(r"\+?[\d ().-]+", phone):
        return None
    if phone.startswith("+"):
        # "+44 (0)20 …": the trunk 0 is dialled only from inside the country, never after its code.
        phone = phone.replace("(0)", "")
    digits = re.sub(r"\D", "", phone)
    if len(digits) not in _PHONE_DIGITS:
        return None
    return "+" + digits if phone.startswith("+") else digits
