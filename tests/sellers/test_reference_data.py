import json

import pytest

from sellers.models import Region, Trade
from sellers.reference_data import DATA_DIR, regions_load, trades_load

pytestmark = pytest.mark.django_db


class TestRegions:
    def test_morocco_has_its_twelve_regions_and_cameroon_its_ten(self):
        assert Region.objects.filter(country="MA").count() == 12
        assert Region.objects.filter(country="CM").count() == 10

    def test_regions_have_french_and_arabic_names(self):
        assert not Region.objects.filter(name_fr="").exists()
        assert not Region.objects.filter(name_ar="").exists()

    def test_loading_twice_changes_nothing(self):
        before = list(Region.objects.values_list("code", "name").order_by("code"))
        regions_load(Region)
        trades_load(Trade)
        assert list(Region.objects.values_list("code", "name").order_by("code")) == before


class TestTradeNomenclature:
    def test_the_data_says_it_is_a_sample(self):
        note = json.loads((DATA_DIR / "trades.json").read_text())["_note"]
        assert "SAMPLE" in note and "NOT the official list" in note

    def test_every_trade_sits_one_level_below_its_parent_in_the_same_country(self):
        for trade in Trade.objects.select_related("parent"):
            trade.full_clean()
            if trade.parent is None:
                assert trade.level == Trade.Level.SECTOR
            else:
                assert trade.parent.level == trade.level - 1
                assert trade.parent.country == trade.country

    def test_each_country_has_activities_grouped_in_sectors(self):
        for country in ("MA", "CM"):
            assert Trade.objects.filter(country=country, level=Trade.Level.SECTOR).exists()
            assert Trade.objects.filter(country=country, level=Trade.Level.ACTIVITY).count() >= 5
