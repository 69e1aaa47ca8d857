"""ISO 3166-1 country codes, from pycountry."""

import re
from functools import cache

import pycountry


@cache
def iso_country_codes() -> frozenset[str]:
    return frozenset(country.alpha_2 for country in pycountry.countries)


def country_codes_clean(text: str) -> tuple[list[str], list[str]]:
    """(known codes, sorted and unique; unknown ones) from a list typed with commas or spaces."""
    codes = {code.upper() for code in re.split(r"[\s,;]+", text or "") if code}
    known = iso_country_codes()
    return sorted(codes & known), sorted(codes - known)
