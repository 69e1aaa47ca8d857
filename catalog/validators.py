import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import ean

from sellers.documents import image_size_from_header

_HS_SEPARATORS = re.compile(r"[\s.\-]")


def hs_code_normalise(value: str) -> str:
    return _HS_SEPARATORS.sub("", value or "")


def validate_hs_code(value: str) -> None:
    """A Harmonized System code: 6 digits (international), or 8 or 10 with the national subdivisions.

    The first two digits are a chapter, 01 to 97 (chapter 77 is reserved).
    """
    digits = hs_code_normalise(value)
    if not digits.isdigit() or len(digits) not in (6, 8, 10):
        raise ValidationError(
            _("Enter an HS code of 6, 8 or 10 digits, such as 5701.10 or 6913.90.00.00."), code="invalid_hs_code"
        )
    chapter = int(digits[:2])
    if not 1 <= chapter <= 97 or chapter == 77:
        raise ValidationError(
            _("%(chapter)s is not a chapter of the Harmonized System (01 to 97)."), code="invalid_hs_chapter",
            params={"chapter": digits[:2]},
        )


def hs_code_format(value: str) -> str:
    """5701100000 -> 5701.10.00.00"""
    digits = hs_code_normalise(value)
    return ".".join([digits[:4]] + [digits[i : i + 2] for i in range(4, len(digits), 2)])


def validate_image_pixels(upload) -> None:
    """Refuses an image whose header declares more pixels than WAGTAILIMAGES_MAX_IMAGE_PIXELS, before any decoding."""
    image_size_from_header(upload, max_pixels=settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS)


def validate_gtin(value: str) -> None:
    """A GTIN-8, -12, -13 or -14 (digits only) with a right check digit (GS1 General Specifications §7.9)."""
    if not (value.isdigit() and len(value) in (8, 12, 13, 14) and ean.is_valid(value)):
        raise ValidationError(_("Enter the GTIN printed under the barcode: 8, 12, 13 or 14 digits, with its "
                                "check digit."), code="gtin")
