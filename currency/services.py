"""Refreshing the exchange rates every conversion reads."""

from decimal import Decimal

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from .models import ExchangeRate
from .rate_sources import RateSheet, RateSourceError, rate_source
from .selectors import RATES_CACHE_KEY, base_currency, display_currencies


def rate_sheet_checked(sheet: RateSheet) -> RateSheet:
    """Raises RateSourceError for a sheet that would break prices: a missing currency, a rate that is
    not positive, a euro not worth one euro, or a date in the future."""
    rates = {**sheet.per_euro, "EUR": sheet.per_euro.get("EUR", Decimal(1))}
    needed = {base_currency(), *display_currencies()}
    missing = sorted(needed - set(rates))
    if missing:
        raise RateSourceError(f"no rate for {', '.join(missing)}")
    bad = sorted(code for code, rate in rates.items() if not rate.is_finite() or rate <= 0)
    if bad:
        raise RateSourceError(f"rates not positive for {', '.join(bad)}")
    if rates["EUR"] != 1:
        raise RateSourceError("one euro must be worth 1 EUR")
    if sheet.as_of > timezone.localdate():
        raise RateSourceError(f"rates dated in the future ({sheet.as_of})")
    return RateSheet(as_of=sheet.as_of, per_euro=rates, source=sheet.source)


def exchange_rates_refresh(*, source=None) -> RateSheet:
    """Replace the rates with the source's, all or none; raises RateSourceError (nothing changes)."""
    sheet = rate_sheet_checked((source or rate_source()).fetch())
    with transaction.atomic():
        for currency, per_euro in sheet.per_euro.items():
            ExchangeRate.objects.update_or_create(
                currency=currency, defaults={"per_euro": per_euro, "as_of": sheet.as_of, "source": sheet.source[:100]}
            )
        transaction.on_commit(lambda: cache.delete(RATES_CACHE_KEY))
    cache.delete(RATES_CACHE_KEY)
    return sheet
