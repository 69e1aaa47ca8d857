"""catalog.pricing: who pays what for how many. Retail for everyone but verified trade buyers; the tier a
trade quantity reaches at its boundaries; the next tier's saving; the rules tiers must keep; cases."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from catalog.pricing import (
    Tier,
    case_pack_nearest,
    case_pack_problem,
    made_to_order_weeks,
    minimum_shortfall,
    price_tiers_problems,
    seller_minimum,
    unit_price_for,
)

TIERS = [Tier(1, Decimal("100.00")), Tier(12, Decimal("90.00")), Tier(48, Decimal("80.00"))]
PRODUCT = SimpleNamespace(price=Decimal("120.00"))


class TestUnitPrice:
    @pytest.mark.parametrize("quantity, price, tier_from, next_from", [
        (1, "100.00", 1, 12), (11, "100.00", 1, 12), (12, "90.00", 12, 48), (47, "90.00", 12, 48),
        (48, "80.00", 48, None), (500, "80.00", 48, None),
    ])
    def test_a_trade_quantity_pays_the_tier_it_reaches(self, quantity, price, tier_from, next_from):
        result = unit_price_for(PRODUCT, quantity, trade=True, tiers=TIERS)
        assert result.unit_price == Decimal(price) and result.wholesale
        assert result.tier.min_quantity == tier_from
        assert (result.next_tier.min_quantity if result.next_tier else None) == next_from

    def test_the_next_tier_says_how_many_more_units_and_what_each_saves(self):
        result = unit_price_for(PRODUCT, 11, trade=True, tiers=TIERS)
        assert result.units_to_next_tier == 1 and result.next_tier_saving == Decimal("10.00")
        last = unit_price_for(PRODUCT, 48, trade=True, tiers=TIERS)
        assert last.units_to_next_tier is None and last.next_tier_saving is None

    @pytest.mark.parametrize("quantity", [1, 12, 48, 1000])
    def test_a_retail_buyer_pays_the_retail_price_at_any_quantity(self, quantity):
        result = unit_price_for(PRODUCT, quantity, trade=False, tiers=TIERS)
        assert result.unit_price == Decimal("120.00") and not result.wholesale and result.tier is None

    def test_a_product_without_tiers_sells_to_trade_buyers_at_its_retail_price(self):
        result = unit_price_for(PRODUCT, 50, trade=True, tiers=[])
        assert result.unit_price == Decimal("120.00") and result.wholesale and result.next_tier is None

    def test_under_the_first_tier_a_trade_buyer_pays_retail(self):
        result = unit_price_for(PRODUCT, 5, trade=True, tiers=[Tier(6, Decimal("95"))])
        assert result.unit_price == Decimal("120.00") and result.next_tier == Tier(6, Decimal("95"))


class TestTierRules:
    def test_good_tiers_have_no_problem(self):
        assert price_tiers_problems(TIERS, min_order_quantity=1, retail_price=Decimal("120")) == []

    def test_the_first_tier_starts_at_the_minimum_order_quantity(self):
        problems = price_tiers_problems(TIERS, min_order_quantity=6, retail_price=None)
        assert any("minimum order quantity (6)" in problem for problem in problems)

    @pytest.mark.parametrize("tiers, words", [
        ([Tier(1, Decimal("100")), Tier(12, Decimal("100"))], "must be lower"),
        ([Tier(1, Decimal("100")), Tier(12, Decimal("110"))], "must be lower"),
        ([Tier(1, Decimal("100")), Tier(1, Decimal("90"))], "Two tiers start at 1"),
        ([Tier(1, Decimal("130"))], "above the retail price"),
    ])
    def test_prices_fall_as_quantities_rise_and_never_exceed_retail(self, tiers, words):
        problems = price_tiers_problems(tiers, min_order_quantity=1, retail_price=Decimal("120"))
        assert any(words in problem for problem in problems)


class TestCasePack:
    @pytest.mark.parametrize("quantity, case, minimum, nearest", [
        (13, 6, 1, (12, 18)), (12, 6, 1, (12, 12)), (5, 6, 1, (None, 6)), (7, 6, 12, (None, 12)), (25, 12, 12, (24, 36)),
    ])
    def test_the_nearest_valid_quantities_either_side(self, quantity, case, minimum, nearest):
        assert case_pack_nearest(quantity, case_pack=case, minimum=minimum) == nearest

    def test_a_quantity_not_a_multiple_is_refused_with_the_nearest_valid_quantities(self):
        assert case_pack_problem(13, case_pack=6) == "Sold by cases of 6: order 12 or 18."
        assert case_pack_problem(5, case_pack=6) == "Sold by cases of 6: order 6."
        assert case_pack_problem(18, case_pack=6) == "" and case_pack_problem(7, case_pack=1) == ""


class TestMinimumsAndCapacity:
    SELLER = SimpleNamespace(first_order_minimum=Decimal("3000"), reorder_minimum=Decimal("1500"))

    def test_the_first_order_and_reorders_have_their_own_minimum(self):
        assert seller_minimum(self.SELLER, first_order=True) == Decimal("3000")
        assert seller_minimum(self.SELLER, first_order=False) == Decimal("1500")

    @pytest.mark.parametrize("subtotal, shortfall", [("3000.00", "0"), ("2999.99", "0.01"), ("3000.01", "0"), ("0", "3000")])
    def test_the_shortfall_at_the_limit(self, subtotal, shortfall):
        assert minimum_shortfall(Decimal(subtotal), Decimal("3000")) == Decimal(shortfall)

    @pytest.mark.parametrize("quantity, capacity, weeks", [(1, 50, 1), (50, 50, 1), (51, 50, 2), (300, 50, 6), (300, None, 0)])
    def test_made_to_order_weeks_grow_with_quantity(self, quantity, capacity, weeks):
        assert made_to_order_weeks(quantity, capacity_per_week=capacity) == weeks
