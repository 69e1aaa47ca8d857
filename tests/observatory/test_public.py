"""The public "sector in figures": the small-cell rule, and no personal data in the page, the CSV or
the JSON."""

import csv
import io
import json

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from marketplace.orders.services import order_paid
from marketplace.shipping.addresses import ShippingAddress
from observatory.public import OTHER, SMALL_CELL, sector_figures
from sellers.models import Seller
from tests.factories.catalog import product_create, seller_pages
from tests.factories.orders import europe_zone, order_for
from tests.factories.sellers import SellerFactory, region, trade

pytestmark = pytest.mark.django_db

BUYERS = [
    ShippingAddress(name=f"Buyer Number{n}", line1=f"{n} Rue Secrète", line2="", city="Lille", region="",
                    postal_code=f"5900{n}", country="FR", phone=f"+33 3 20 00 00 0{n}")
    for n in range(6)
]
BELGIAN = ShippingAddress(name="Lonely Belgian", line1="1 Grand-Place", line2="", city="Bruxelles", region="",
                          postal_code="1000", country="BE", phone="")


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def sector(tree):
    """Six verified weavers in Drâa-Tafilalet (a publishable cell) and two potters elsewhere (small)."""
    europe_zone()
    weavers = [SellerFactory(legal_name=f"Weaver Coop {n}") for n in range(6)]
    for seller in weavers:
        seller.trades.add(trade("1.01.01"))
    potters = [SellerFactory(legal_name=f"Potter Coop {n}", region=region(code), kind=Seller.Kind.ARTISAN)
               for n, code in enumerate(["MA-07", "MA-03"])]
    for seller in potters:
        seller.trades.add(trade("1.03.02"))
    products = [product_create(seller_pages(tree, seller), title=f"Rug {n}", stock=50) for n, seller in enumerate(weavers)]
    return {"weavers": weavers, "potters": potters, "products": products}


def table(figures, name):
    return next(table for table in figures.tables if table.name == name)


class TestTheSmallCellRule:
    def test_small_regions_are_left_out_until_merged_they_reach_five(self, sector):
        regions = table(sector_figures(), "sellers_by_region")
        assert [(cell.key, cell.value) for cell in regions.cells] == [("MA-08", 6)]
        assert regions.hidden_cells == 2
        for n in range(3):
            SellerFactory(legal_name=f"Fassi {n}", region=region("MA-03"))
        cache.clear()
        regions = table(sector_figures(), "sellers_by_region")
        assert [(cell.key, cell.value) for cell in regions.cells] == [("MA-08", 6), (OTHER, 5)]
        assert regions.hidden_cells == 0

    def test_every_published_cell_stands_for_at_least_five_sellers(self, sector):
        figures = sector_figures()
        for name in ("sellers_by_region", "sellers_by_branch", "sellers_by_kind", "products_by_branch"):
            for cell in table(figures, name).cells:
                assert cell.value >= SMALL_CELL or name == "products_by_branch", (name, cell)
        assert [(cell.key, cell.value) for cell in table(figures, "sellers_by_branch").cells] == [("1.01", 6)]

    def test_a_destination_with_fewer_than_five_orders_is_not_published(self, sector):
        for n, buyer in enumerate(BUYERS):
            order = order_for((sector["products"][n], 1), address=buyer, email=f"buyer{n}@example.org")
            order_paid(order=order, amount=order.total, currency=order.currency)
        lonely = order_for((sector["products"][0], 1), address=BELGIAN, email="lonely@example.org")
        order_paid(order=lonely, amount=lonely.total, currency=lonely.currency)
        exports = table(sector_figures(), "exports_by_country")
        assert [cell.key for cell in exports.cells] == ["FR"]
        assert exports.cells[0].extra["orders"] == 6 and exports.hidden_cells == 1

    def test_totals_of_a_tiny_platform_are_not_published(self, tree):
        SellerFactory(legal_name="Only One")
        figures = sector_figures()
        assert figures.verified_sellers is None and figures.listed_products is None


class TestNoPersonalData:
    def test_the_page_csv_and_json_hold_no_buyer_nor_seller_details(self, client, sector):
        for n, buyer in enumerate(BUYERS):
            order = order_for((sector["products"][n], 1), address=buyer, email=f"buyer{n}@example.org")
            order_paid(order=order, amount=order.total, currency=order.currency)
        personal = ["Buyer Number", "Rue Secrète", "Lille", "5900", "+33 3 20", "@example.org", "Weaver Coop",
                    "Potter Coop", "Taznakht", "contact@"]
        for language in ("en", "fr", "ar"):
            with translation.override(language):
                urls = [reverse("sector_figures"), reverse("sector_figures_csv"), reverse("sector_figures_json")]
            for url in urls:
                response = client.get(url)
                assert response.status_code == 200, url
                text = response.content.decode()
                leaked = [marker for marker in personal if marker in text]
                assert not leaked, (url, leaked)

    def test_the_json_and_csv_carry_the_same_published_cells(self, client, sector):
        data = json.loads(client.get(reverse("sector_figures_json")).content)
        assert data["verified_sellers"] == 8 and data["currency"] == "MAD"
        regions = next(item for item in data["tables"] if item["name"] == "sellers_by_region")
        assert [(cell["key"], cell["value"]) for cell in regions["cells"]] == [("MA-08", 6)]
        rows = list(csv.DictReader(io.StringIO(client.get(reverse("sector_figures_csv")).content.decode("utf-8-sig"))))
        assert {(row["key"], row["value"]) for row in rows if row["table"] == "sellers_by_region"} == {("MA-08", "6")}
        assert any(row["table"] == "totals" and row["key"] == "verified_sellers" and row["value"] == "8" for row in rows)


def test_the_page_shows_a_chart_and_its_table_in_each_language(client, sector):
    for language, direction in (("en", "ltr"), ("fr", "ltr"), ("ar", "rtl")):
        with translation.override(language):
            url = reverse("sector_figures")
        html = client.get(url).content.decode()
        assert f'dir="{direction}"' in html
        assert html.count("<svg") >= 3 and html.count("<table") >= 3
        assert 'data-table="sellers_by_region"' in html
