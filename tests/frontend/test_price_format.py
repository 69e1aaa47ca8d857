"""Prices group their thousands in every language, Arabic included (Django leaves Arabic ungrouped)."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

pytestmark = pytest.mark.django_db


def render_money(language, amount, currency="MAD"):
    with translation.override(language):
        return Template("{% load souk_tags %}{{ amount|money:currency }}").render(
            Context({"amount": amount, "currency": currency})
        )


@pytest.mark.parametrize(
    ("language", "digits"),
    [("en", "12,345.50"), ("fr", "12\N{NO-BREAK SPACE}345,50"), ("ar", "12.345,50")],
)
def test_thousands_are_grouped(language, digits):
    assert digits in render_money(language, Decimal("12345.50"))


def test_arabic_groups_every_three_digits_and_keeps_small_amounts_whole():
    assert "1.234.567,00" in render_money("ar", Decimal("1234567.00"))
    assert "950,00" in render_money("ar", Decimal("950.00"))


def test_the_price_tag_groups_arabic_thousands_too(settings):
    with translation.override("ar"):
        html = Template("{% load souk_tags %}{% price amount %}").render(Context({"amount": Decimal("13110")}))
    assert "13.110" in html and "13110" not in html
