"""Exchange rates: refreshed from a pluggable source into a table every conversion reads; a bad sheet
changes nothing. Tests never touch the network: the sources here are files."""

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from currency.models import ExchangeRate
from currency.rate_sources import FileRateSource, RateSourceError
from currency.selectors import exchange_rate, money_convert
from currency.services import exchange_rates_refresh
from currency.tasks import exchange_rates_refresh_task

pytestmark = pytest.mark.django_db

GOOD = {"MAD": "11.00", "USD": "1.10", "GBP": "0.85", "CAD": "1.50", "XAF": "655.957", "CHF": "0.95"}


def sheet_file(tmp_path, per_euro, as_of=None):
    path = tmp_path / "rates.json"
    path.write_text(json.dumps({"as_of": (as_of or date(2026, 11, 23)).isoformat(), "per_euro": per_euro}))
    return path


def test_the_sample_rates_are_loaded_by_the_migrations():
    assert ExchangeRate.objects.get(currency="MAD").per_euro == Decimal("10.85")
    assert money_convert(Decimal("1085.00"), to="EUR").amount == Decimal("100.00")


def test_a_refresh_replaces_the_rates_and_conversions_follow_at_once(tmp_path):
    exchange_rates_refresh(source=FileRateSource(sheet_file(tmp_path, GOOD)))
    assert exchange_rate("MAD", "EUR") == Decimal(1) / Decimal("11.00")
    assert money_convert(Decimal("1100.00"), to="EUR").amount == Decimal("100.00")
    rate = ExchangeRate.objects.get(currency="USD")
    assert (rate.per_euro, rate.as_of, rate.source) == (Decimal("1.10"), date(2026, 11, 23), "file rates.json")


@pytest.mark.parametrize("per_euro, message", [
    ({key: value for key, value in GOOD.items() if key != "GBP"}, "no rate for GBP"),
    ({**GOOD, "USD": "0"}, "not positive for USD"),
    ({**GOOD, "USD": "-1.2"}, "not positive for USD"),
    ({**GOOD, "EUR": "1.2"}, "one euro"),
])
def test_a_bad_sheet_changes_nothing(tmp_path, per_euro, message):
    with pytest.raises(RateSourceError, match=message):
        exchange_rates_refresh(source=FileRateSource(sheet_file(tmp_path, per_euro)))
    assert ExchangeRate.objects.get(currency="MAD").per_euro == Decimal("10.85")


def test_rates_dated_in_the_future_or_an_unreadable_file_are_refused(tmp_path):
    with pytest.raises(RateSourceError, match="future"):
        exchange_rates_refresh(source=FileRateSource(sheet_file(tmp_path, GOOD, timezone.localdate() + timedelta(days=2))))
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    with pytest.raises(RateSourceError):
        exchange_rates_refresh(source=FileRateSource(broken))


def test_the_scheduled_task_reads_the_configured_file_and_keeps_the_rates_on_error(tmp_path, settings, caplog):
    settings.EXCHANGE_RATES_FILE = str(sheet_file(tmp_path, GOOD))
    assert "rates as of 2026-11-23" in exchange_rates_refresh_task()
    assert ExchangeRate.objects.get(currency="MAD").per_euro == Decimal("11.00")
    settings.EXCHANGE_RATES_FILE = str(sheet_file(tmp_path, {**GOOD, "MAD": "0"}))
    assert exchange_rates_refresh_task().startswith("kept:")
    assert ExchangeRate.objects.get(currency="MAD").per_euro == Decimal("11.00")
    assert "Exchange rates not refreshed" in caplog.text


def test_it_is_scheduled(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "currency.tasks.exchange_rates_refresh_task" in tasks
