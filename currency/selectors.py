"""Currencies the buyer can choose and the conversion of base-currency prices into them."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.cache import cache

from .models import ExchangeRate

# ISO 4217 minor units that are not 2.
MINOR_UNITS = {"JPY": 0, "XAF": 0, "XOF": 0, "KRW": 0}


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str

    def __str__(self) -> str:
        return f"{self.amount:,} {self.currency}"


def base_currency() -> str:
    return settings.MARKETPLACE_BASE_CURRENCY


def display_currencies() -> list[str]:
    return list(settings.MARKETPLACE_DISPLAY_CURRENCIES)


def currency_normalise(code: str | None) -> str:
    """The code if the deployment offers it, else the base currency."""
    code = (code or "").strip().upper()
    return code if code in display_currencies() else base_currency()


def money_round(amount: Decimal, currency: str) -> Decimal:
    exponent = Decimal(1).scaleb(-MINOR_UNITS.get(currency, 2))
    return amount.quantize(exponent, rounding=ROUND_HALF_UP)


RATES_CACHE_KEY = "exchange-rates"


def rates_per_euro() -> dict[str, Decimal]:
    """The rates in use (the ExchangeRate table), cached until the next refresh."""
    rates = cache.get(RATES_CACHE_KEY)
    if rates is None:
        rates = dict(ExchangeRate.objects.values_list("currency", "per_euro"))
        cache.set(RATES_CACHE_KEY, rates, 3600)
    return rates


def exchange_rate(source: str, target: str) -> Decimal:
    """Units of ``target`` for one unit of ``source``; raises KeyError for an unknown currency."""
    if source == target:
        return Decimal(1)
    rates = rates_per_euro()
    return rates[target] / rates[source]


def money_convert(amount: Decimal, *, to: str) -> Money:
    """A base-currency amount in currency ``to``, rounded to that currency's minor unit."""
    return Money(money_round(amount * exchange_rate(base_currency(), to), to), to)


def money_minor_units(amount: Decimal, currency: str) -> int:
    """An amount as the integer count of the currency's smallest unit, as payment providers take it."""
    return int(money_round(amount, currency).scaleb(MINOR_UNITS.get(currency, 2)))


def money_from_minor_units(units: int, currency: str) -> Decimal:
    return money_round(Decimal(units).scaleb(-MINOR_UNITS.get(currency, 2)), currency)
