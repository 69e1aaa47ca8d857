"""Where exchange rates come from. The embedded default reads a JSON file staff can edit; another
source (a central bank's feed) is a class with the same ``fetch`` named by EXCHANGE_RATE_SOURCE."""

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string

DEFAULT_RATES_FILE = Path(__file__).with_name("rates.json")


class RateSourceError(Exception):
    """The source could not give usable rates; the rates in use stay as they are."""


@dataclass(frozen=True)
class RateSheet:
    as_of: date
    per_euro: dict[str, Decimal]
    source: str


class FileRateSource:
    """Rates from a JSON file: ``{"as_of": "2026-11-20", "per_euro": {"MAD": "10.85", ...}}``."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path or getattr(settings, "EXCHANGE_RATES_FILE", None) or DEFAULT_RATES_FILE)

    def fetch(self) -> RateSheet:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            as_of = date.fromisoformat(data["as_of"])
            per_euro = {str(code).upper(): Decimal(str(value)) for code, value in data["per_euro"].items()}
        except (OSError, ValueError, KeyError, TypeError, InvalidOperation) as error:
            raise RateSourceError(f"{self.path}: {error}") from error
        return RateSheet(as_of=as_of, per_euro=per_euro, source=f"file {self.path.name}")


def rate_source():
    config = getattr(settings, "EXCHANGE_RATE_SOURCE", None) or {"BACKEND": "currency.rate_sources.FileRateSource"}
    return import_string(config["BACKEND"])(**config.get("OPTIONS", {}))
