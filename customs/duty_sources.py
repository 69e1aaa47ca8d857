"""Where duty rates come from. The embedded default reads a JSON file staff can edit; another source
(a customs administration's tariff feed) is a class with the same ``fetch``, named by
CUSTOMS_DUTY_RATE_SOURCE, as exchange rates are (currency/rate_sources.py)."""

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string

DEFAULT_DUTY_RATES_FILE = Path(__file__).with_name("duty_rates.json")


class DutyRateSourceError(Exception):
    """The source could not give usable rates; the rates in use stay as they are."""


@dataclass(frozen=True)
class DutyRateSheet:
    as_of: date
    hs_edition: str
    is_sample: bool
    # destination code -> HS prefix (digits) -> ad valorem duty in percent
    rates: dict[str, dict[str, Decimal]]
    source: str


class FileDutyRateSource:
    """Rates from a JSON file: ``{"as_of": "2026-11-30", "hs_edition": "HS2022", "sample": true,
    "rates": {"EU": {"5701": "8", ...}}}``."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path or getattr(settings, "CUSTOMS_DUTY_RATES_FILE", None) or DEFAULT_DUTY_RATES_FILE)

    def fetch(self) -> DutyRateSheet:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            rates = {}
            for destination, prefixes in data["rates"].items():
                rates[str(destination).upper()] = {}
                for prefix, rate in prefixes.items():
                    digits = "".join(char for char in str(prefix) if char.isdigit())
                    value = Decimal(str(rate))
                    if len(digits) not in (2, 4, 6, 8, 10) or not (0 <= value <= 100):
                        raise ValueError(f"bad rate {destination} {prefix}: {rate}")
                    rates[str(destination).upper()][digits] = value
            sheet = DutyRateSheet(as_of=date.fromisoformat(data["as_of"]), hs_edition=str(data.get("hs_edition", "HS2022")),
                                  is_sample=bool(data.get("sample", False)), rates=rates,
                                  source=f"file {self.path.name}")
        except (OSError, ValueError, KeyError, TypeError, AttributeError, InvalidOperation) as error:
            raise DutyRateSourceError(f"{self.path}: {error}") from error
        return sheet


def duty_rate_source():
    config = getattr(settings, "CUSTOMS_DUTY_RATE_SOURCE", None) or {"BACKEND": "customs.duty_sources.FileDutyRateSource"}
    return import_string(config["BACKEND"])(**config.get("OPTIONS", {}))
