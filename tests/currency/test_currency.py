from decimal import Decimal

import pytest

from currency.selectors import (
    currency_normalise,
    exchange_rate,
    money_convert,
    money_from_minor_units,
    money_minor_units,
    money_round,
)


@pytest.mark.django_db
class TestConversion:
    def test_dirhams_to_euros_uses_the_cross_rate(self):
        assert money_convert(Decimal("1085.00"), to="EUR").amount == Decimal("100.00")

    def test_francs_cfa_have_no_minor_unit(self):
        assert money_round(Decimal("1234.5"), "XAF") == Decimal("1235")
        assert money_convert(Decimal("100"), to="XAF").amount == Decimal("6046")  # 100 / 10.85 * 655.957

    def test_yen_have_no_decimals_and_dinars_three(self):
        assert money_round(Decimal("1234.5"), "JPY") == Decimal("1235")
        assert money_round(Decimal("1.2345"), "TND") == Decimal("1.235")

    def test_minor_units_follow_the_currencys_decimals_both_ways(self):
        assert money_minor_units(Decimal("12.34"), "EUR") == 1234
        assert money_minor_units(Decimal("1234"), "JPY") == 1234
        assert money_minor_units(Decimal("1.235"), "TND") == 1235
        assert money_from_minor_units(1234, "XAF") == Decimal("1234")
        assert money_from_minor_units(1234, "GBP") == Decimal("12.34")

    def test_a_provider_may_count_other_decimals_than_the_currency(self):
        assert money_minor_units(Decimal("5"), "ISK", decimals=2) == 500
        assert money_from_minor_units(500, "ISK", decimals=2) == Decimal("5")

    def test_halves_round_up(self):
        assert money_round(Decimal("0.125"), "EUR") == Decimal("0.13")

    def test_the_base_currency_converts_to_itself(self):
        assert exchange_rate("MAD", "MAD") == 1

    @pytest.mark.parametrize(("given", "expected"), [("eur", "EUR"), ("", "MAD"), ("BTC", "MAD"), (None, "MAD")])
    def test_unknown_or_empty_choices_fall_back_to_the_base_currency(self, given, expected):
        assert currency_normalise(given) == expected


class TestCurrencyChoice:
    def test_choosing_a_currency_sets_a_cookie_and_returns_to_the_page(self, client):
        response = client.get("/currency/?currency=GBP&next=/fr/")
        assert response.status_code == 302 and response["Location"] == "/fr/"
        assert response.cookies["currency"].value == "GBP"

    def test_it_never_redirects_to_another_site(self, client):
        response = client.get("/currency/?currency=GBP&next=https://evil.example/")
        assert response["Location"] == "/"
