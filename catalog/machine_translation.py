"""Machine translation, pluggable and off by default.

``settings.MACHINE_TRANSLATION = {"BACKEND": "dotted.path.ToABackend", "OPTIONS": {...}}`` names a
``MachineTranslationBackend`` subclass; with no ``BACKEND`` (the default) the platform sends no text
to any provider and a translator starts from the source text. The backend is resolved lazily, when a
translation is started, never at import.
"""

from django.conf import settings
from django.utils.module_loading import import_string


class MachineTranslationError(Exception):
    """The provider failed; the translation starts from the source text instead."""


class MachineTranslationBackend:
    """What a machine translation provider does: translate a list of texts between two languages.

    Texts may hold HTML (a rich text description); a backend keeps the markup and translates the text.
    """

    def __init__(self, **options):
        self.options = options

    def translate(self, texts: list[str], *, source: str, target: str) -> list[str]:
        """``texts`` in ``target`` (language codes such as "en", "fr", "ar"), one for one and in order.

        Raises MachineTranslationError when the provider cannot answer.
        """
        raise NotImplementedError


def machine_translation_backend() -> MachineTranslationBackend | None:
    """The configured backend, or None when no provider is configured (the default)."""
    config = getattr(settings, "MACHINE_TRANSLATION", None) or {}
    if not config.get("BACKEND"):
        return None
    return import_string(config["BACKEND"])(**config.get("OPTIONS", {}))
