"""ISO 3166-1 alpha-2 country codes, for shipping zones and addresses."""

import re
import unicodedata
from functools import cache

import pycountry
from babel import Locale, UnknownLocaleError
from django.utils.translation import get_language

# Every officially assigned code of ISO 3166-1, as pycountry (the standard's data, pinned) lists it.
ISO_COUNTRY_CODES = frozenset(country.alpha_2 for country in pycountry.countries)


def country_codes_clean(text: str) -> tuple[list[str], list[str]]:
    """(known codes, sorted and unique; unknown ones) from a list typed with commas or spaces."""
    codes = [code.upper() for code in re.split(r"[\s,;]+", text or "") if code]
    known = sorted({code for code in codes if code in ISO_COUNTRY_CODES})
    unknown = sorted({code for code in codes if code not in ISO_COUNTRY_CODES})
    return known, unknown


def country_sort_key(name: str) -> str:
    """A collation key that sorts "Égypte" with the E's and "Åland" with the A's: accents stripped
    (NFKD, combining marks dropped) and case folded. Without ICU, the primary level of the locale's
    collation, which is what a list of country names needs."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


@cache
def _territory_names(language: str) -> dict[str, str]:
    try:
        names = Locale.parse(language.replace("-", "_")).territories
    except (UnknownLocaleError, ValueError):
        names = Locale("en").territories
    # Countries only: babel's territories also hold regions and groupings ("001", "EU", "QO", "EZ").
    return {code: names.get(code, code) for code in ISO_COUNTRY_CODES}


def country_name(code: str, language: str | None = None) -> str:
    """The country's name in ``language`` (the active one by default), an excluded one included, so
    that what was stored (an order's, a seller's) is always named; the code when it is none."""
    return _territory_names(language or get_language() or "en").get(code, code)


def countries_excluded() -> frozenset[str]:
    """The country codes this deployment never offers (the list staff edit in Settings → Countries)."""
    from .models import CountrySettings  # the models import this module for country_codes_clean

    return CountrySettings.excluded_codes()


def country_choices(language: str | None = None) -> list[tuple[str, str]]:
    """The countries offered, as (ISO code, name in the language), sorted as the language sorts them:
    babel's names of the ISO 3166 countries less the deployment's exclusions."""
    names = _territory_names(language or get_language() or "en")
    excluded = countries_excluded()
    return sorted(((code, name) for code, name in names.items() if code not in excluded),
                  key=lambda choice: (country_sort_key(choice[1]), choice[1]))
