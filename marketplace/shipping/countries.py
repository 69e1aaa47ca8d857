"""ISO 3166-1 alpha-2 country codes, for shipping zones and addresses."""

import re
import unicodedata
from functools import cache

from babel import Locale, UnknownLocaleError
from django.utils.translation import get_language

# Every officially assigned code (ISO 3166-1, 249 entries).
ISO_COUNTRY_CODES = frozenset(["AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ", "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS", "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN", "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE", "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF", "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM", "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM", "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC", "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK", "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA", "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG", "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW", "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS", "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO", "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI", "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW"])


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
