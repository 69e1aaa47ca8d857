"""Validators of the free text people type as names (a seller's legal name, its contact, its town)."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Embeddings, overrides and isolates reorder the text around them: a name can then show as another
# name, or hide a part of itself ("Trojan Source"). Arabic needs none of them to be written.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Letters and symbols that draw nothing, used to make a name that looks empty.
BLANK_LOOKING = frozenset("\u115f\u1160\u3164\uffa0\u2800")
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp"})


def validate_name_text(value: str) -> None:
    """Refuse text-direction controls anywhere, and a name with no visible character."""
    if any(character in BIDI_CONTROLS for character in value):
        raise ValidationError(
            _("Remove the hidden text-direction characters from this name."), code="bidi_control"
        )
    if value and all(
        character in BLANK_LOOKING or unicodedata.category(character) in INVISIBLE_CATEGORIES for character in value
    ):
        raise ValidationError(_("This name has no visible characters."), code="invisible")
