"""Money columns: amounts are stored as decimals with this precision, beside a currency code."""

MONEY = {"max_digits": 14, "decimal_places": 2}
