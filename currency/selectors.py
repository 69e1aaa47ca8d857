"""Currencies the buyer can choose and the conversion of base-currency prices into them."""

import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency, get_currency_precision
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language

from .models import ExchangeRate


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str

    def __str__(self) -> str:
        return money_format(self.amount, self.currency)


def base_currency() -> str:
    return settings.MARKETPLACE_BASE_CURRENCY


def display_currencies() -> list[str]:
    return list(settings.MARKETPLACE_DISPLAY_CURRENCIES)


def currency_normalise(code: str | None) -> str:
    """The code if the deployment offers it, else the base currency."""
    code = (code or "").strip().upper()
    return code if code in display_currencies() else base_currency()


def currency_precision(currency: str) -> int:
    """How many decimals the currency is written with (CLDR's, through babel: 0 for XAF and JPY)."""
    return get_currency_precision(currency)


def money_round(amount: Decimal, currency: str) -> Decimal:
    exponent = Decimal(1).scaleb(-currency_precision(currency))
    return amount.quantize(exponent, rounding=ROUND_HALF_UP)


def money_format(amount: Decimal, currency: str, *, language: str | None = None, whole: bool = False) -> str:
    """An amount written as ``language`` (the active one by default) writes money: "1 234,50 €" in
    French, "€1,234.50" in English, rounded to the currency's minor unit (``whole``: to the unit, for
    round figures such as price ranges). The one place prices are formatted: pages, emails, export
    documents and the admin all go through it."""
    locale = _number_locale(language or get_language() or settings.LANGUAGE_CODE)
    if whole:
        pattern = re.sub(r"\.0+", "", locale.currency_formats["standard"].pattern)
        written = format_currency(Decimal(amount).quantize(Decimal(1), rounding=ROUND_HALF_UP), currency,
                                  format=pattern, locale=locale, currency_digits=False)
    else:
        written = format_currency(money_round(Decimal(amount), currency), currency, locale=locale)
    return _currency_spaced(written)


def _number_locale(language: str) -> Locale:
    # A deployment may write a language's numbers as one of its countries does (MARKETPLACE_NUMBER_LOCALES:
    # Arabic as Morocco writes it, "1.234,50 د.م.", with the Latin digits the site's Arabic uses).
    name = dict(settings.MARKETPLACE_NUMBER_LOCALES).get(language, language)
    try:
        return Locale.parse(name.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale("en")


def _currency_spaced(written: str) -> str:
    """CLDR's currency spacing, which babel does not apply: a currency written in letters is kept apart
    from the digits beside it by a no-break space ("MAD 1,234.50", not "MAD1,234.50")."""
    chars = list(written)
    spaced = []
    for index, char in enumerate(chars):
        previous = chars[index - 1] if index else ""
        if previous and (_is_letter(previous) and char.isdigit() or previous.isdigit() and _is_letter(char)):
            spaced.append("\N{NO-BREAK SPACE}")
        spaced.append(char)
    return "".join(spaced)


def _is_letter(char: str) -> bool:
    return unicodedata.category(char).startswith("L")


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


def money_minor_units(amount: Decimal, currency: str, *, decimals: int | None = None) -> int:
    """An amount as the integer count of the currency's smallest unit, as payment providers take it.
    ``decimals``: the provider's own count where it differs from the currency's (see Stripe's)."""
    scale = currency_precision(currency) if decimals is None else decimals
    return int(money_round(amount, currency).scaleb(scale))


def money_from_minor_units(units: int, currency: str, *, decimals: int | None = None) -> Decimal:
    scale = currency_precision(currency) if decimals is None else decimals
    return money_round(Decimal(units).scaleb(-scale), currency)
