"""Prices are written as each language writes money (CLDR through babel), thousands grouped, Arabic too."""

from decimal import Decimal

import pytest
from babel import Locale
from django.template import Context, Template
from django.utils import translation

from currency.selectors import money_format

pytestmark = pytest.mark.django_db


def render_money(language, amount, currency="MAD"):
    with translation.override(language):
        return Template("{% load souk_tags %}{{ amount|money:currency }}").render(
            Context({"amount": amount, "currency": currency})
        )


def group_separator(locale: str) -> str:
    return Locale.parse(locale).number_symbols["latn"]["group"]


class TestEachLanguageWritesMoneyItsWay:
    def test_french_groups_with_its_space_uses_a_decimal_comma_and_puts_the_euro_after(self):
        written = render_money("fr", Decimal("1234.5"), "EUR")
        assert written.startswith(f"1{group_separator('fr')}234,50") and written.endswith("€")

    def test_english_puts_the_euro_before_and_groups_with_commas(self):
        assert render_money("en", Decimal("1234.5"), "EUR") == "€1,234.50"

    def test_arabic_is_written_as_morocco_writes_it_with_the_dirham_after(self):
        written = render_money("ar", Decimal("12345.5"))
        assert "12.345,50" in written and written.rstrip("\N{RIGHT-TO-LEFT MARK}").endswith("د.م.")

    def test_a_currency_written_in_letters_is_kept_apart_from_the_digits(self):
        assert render_money("en", Decimal("950"), "MAD") == "MAD\N{NO-BREAK SPACE}950.00"

    @pytest.mark.parametrize(("language", "digits"), [("en", "1,234,567.00"), ("ar", "1.234.567,00")])
    def test_thousands_are_grouped_every_three_digits(self, language, digits):
        assert digits in render_money(language, Decimal("1234567"))


class TestCurrenciesWithoutMinorUnits:
    @pytest.mark.parametrize("currency", ["JPY", "XAF"])
    def test_they_are_written_without_decimals_and_halves_round_up(self, currency):
        written = money_format(Decimal("1234.5"), currency, language="en")
        assert "1,235" in written and "1,235." not in written and "1,234" not in written


def test_the_price_tag_writes_the_base_amount_beside_the_buyers_currency(settings):
    with translation.override("ar"):
        html = Template("{% load souk_tags %}{% price amount %}").render(
            Context({"amount": Decimal("13110"), "currency": "EUR"}))
    assert "13.110,00" in html and "13110" not in html and "€" in html
