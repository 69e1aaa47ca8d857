"""Register numbers: the format each country's register uses, and the normal form used to compare them.

The patterns are this platform's checks, kept here as data; a deployment confirms them with the
keepers of its registers (Morocco: the national artisan register, the cooperative register of the
ODCO, the ICE; Cameroon: MINPMEESA's artisan file, the cooperative register, the NIU).
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class RegisterFormat:
    register_name: str
    pattern: str
    example: str

    def matches(self, number: str) -> bool:
        return re.fullmatch(self.pattern, register_number_clean(number)) is not None


# Keyed by (country, seller kind); a master artisan uses the artisan register.
REGISTER_FORMATS: dict[tuple[str, str], RegisterFormat] = {
    ("MA", "artisan"): RegisterFormat(_("National artisan register"), r"RNA[- ]?\d{6,10}", "RNA-00412345"),
    ("MA", "cooperative"): RegisterFormat(_("Cooperative register (ODCO)"), r"\d{1,6}/\d{4}", "2317/2019"),
    ("MA", "enterprise"): RegisterFormat(_("Common company identifier (ICE)"), r"\d{15}", "001525987000065"),
    ("CM", "artisan"): RegisterFormat(_("Artisan register (MINPMEESA)"), r"ART-[A-Z]{2}-\d{4}-\d{3,6}", "ART-CE-2023-01542"),
    ("CM", "cooperative"): RegisterFormat(_("Cooperative register"), r"[A-Z]{2}/[A-Z]{2,4}/\d{4}/COOP/\d{1,6}", "OU/BAF/2021/COOP/0087"),
    ("CM", "enterprise"): RegisterFormat(_("Single identification number (NIU)"), r"[MP]\d{12}[A-Z]", "M012345678901A"),
}

_SEPARATORS = re.compile(r"[\s\-_./\\]+")


def register_number_clean(number: str) -> str:
    """The number as it is shown: upper case, inner runs of spaces collapsed, trimmed."""
    return re.sub(r"\s+", " ", number or "").strip().upper()


def register_number_normalise(number: str) -> str:
    """The number as it is compared: upper case without spaces or separators."""
    return _SEPARATORS.sub("", (number or "").upper())


def register_format(country: str, kind: str) -> RegisterFormat | None:
    return REGISTER_FORMATS.get((country, "artisan" if kind == "master_artisan" else kind))
