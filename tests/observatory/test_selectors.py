"""The observatory's figures against counts made here, one object at a time, from the same data; and
the number of queries, which must not grow with the number of sellers or orders."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog.models import ProductPage
from labels.services import label_certificate_revocation_confirm, label_certificate_revocation_request
from marketplace.orders.models import Order, SellerOrder
from marketplace.orders.services import order_paid, seller_order_accept, seller_order_decline, seller_order_ship
from marketplace.shipping.addresses import ShippingAddress
from observatory.selectors import (
    certificates_by_scheme_and_month,
    exports_by_country,
    exports_by_country_and_month,
    exports_by_month,
    fulfilment_figures,
    months_back,
    products_by,
    sellers_by,
    sellers_inactive,
)
from sellers.models import Seller, SellerMember
from tests.factories.catalog import product_create, seller_pages
from tests.factories.labels import certificate_issue, inspector_create, scheme_create
from tests.factories.orders import PARIS, europe_zone, order_for
from tests.factories.sellers import SellerFactory, SellerMemberFactory, region, trade

pytestmark = pytest.mark.django_db

LONDON = ShippingAddress(name="Sam Jones", line1="1 High Street", line2="", city="London", region="",
                         postal_code="SW1A 1AA", country="GB", phone="")


@pytest.fixture
def sector(tree):
    """Sellers of three regions, kinds and statuses; products of some; a label; orders to two countries."""
    europe_zone()
    weavers = [SellerFactory(legal_name=f"Weavers {n}", members_women=10 + n, members_men=n) for n in range(6)]
    for seller in weavers:
        seller.trades.add(trade("1.01.01"))
    weavers[0].trades.add(trade("1.01.02"))
    potters = [SellerFactory(legal_name=f"Potter {n}", kind=Seller.Kind.ARTISAN, region=region("MA-07"),
                             status=status) for n, status in enumerate(
                                 [Seller.Status.VERIFIED, Seller.Status.PENDING, Seller.Status.SUSPENDED])]
    for seller in potters:
        seller.trades.add(trade("1.03.02"))
    SellerFactory(legal_name="Newcomer", kind=Seller.Kind.ARTISAN, region=region("MA-03"), register_number="",
                  status=Seller.Status.AWAITING_REGISTRATION)
    products = [product_create(seller_pages(tree, seller), title=f"Rug {n}", stock=50)
                for n, seller in enumerate(weavers[:4])]
    products.append(product_create(seller_pages(tree, potters[0]), title="Plate", craft="1.03.02", hs_code="6912.00",
                                   price="300.00", stock=50))
    member = SellerMemberFactory(seller=weavers[0]).user
    certificate_issue(scheme_create(), (member, weavers[0], products[0]), inspector_create())
    return {"weavers": weavers, "potters": potters, "products": products, "member": member}


def paid(*lines, address=PARIS):
    order = order_for(*lines, address=address)
    assert order_paid(order=order, amount=order.total, currency=order.currency) == "paid"
    return order


def is_inactive(seller) -> bool:
    """Counted here the slow way: a verified seller with no live page and no order part in 180 days."""
    since = timezone.now() - timedelta(days=180)
    return (seller.status == Seller.Status.VERIFIED
            and not any(page.live for page in ProductPage.objects.filter(product__seller=seller))
            and not any(part.created_at >= since for part in SellerOrder.objects.filter(seller=seller)))


class TestSellers:
    @pytest.mark.parametrize("dimension", ["region", "kind", "trade", "branch"])
    def test_counts_per_group_and_status_match_the_sellers(self, sector, dimension):
        expected = {}
        for seller in Seller.objects.all():
            keys = {"region": [str(seller.region_id)], "kind": [seller.kind],
                    "trade": [str(pk) for pk in seller.trades.values_list("pk", flat=True)],
                    "branch": sorted({str(pk) for pk in seller.trades.values_list("parent_id", flat=True)})}[dimension]
            for key in keys:
                row = expected.setdefault(key, {"total": 0, "women": 0, "men": 0, "inactive": 0, "verified": 0})
                row["total"] += 1
                row["women"] += seller.members_women or 0
                row["men"] += seller.members_men or 0
                row["inactive"] += is_inactive(seller)
                row["verified"] += seller.status == Seller.Status.VERIFIED
        figures = {figure.key: figure for figure in sellers_by(dimension)}
        assert set(figures) == set(expected)
        for key, row in expected.items():
            figure = figures[key]
            assert (figure.total, figure.members_women, figure.members_men, figure.inactive) == (
                row["total"], row["women"], row["men"], row["inactive"]), key
            assert figure.by_status[Seller.Status.VERIFIED] == row["verified"]
            assert sum(figure.by_status.values()) == figure.total

    def test_dormant_sellers_are_the_verified_ones_without_listing_or_order(self, sector):
        assert {seller.legal_name for seller in sellers_inactive()} == {"Weavers 4", "Weavers 5"}
        paid((sector["products"][0], 1))
        SellerOrder.objects.filter(seller=sector["weavers"][0]).update(seller=sector["weavers"][5])
        assert {seller.legal_name for seller in sellers_inactive()} == {"Weavers 4"}
        SellerOrder.objects.update(created_at=timezone.now() - timedelta(days=200))
        assert {seller.legal_name for seller in sellers_inactive()} == {"Weavers 4", "Weavers 5"}


class TestProductsAndLabels:
    def test_listed_and_labelled_products_per_craft_and_region(self, sector):
        ProductPage.objects.filter(product=sector["products"][3]).update(live=False)  # unpublished: not listed
        for dimension, attribute in (("craft", "craft_id"), ("branch", "craft.parent_id"),
                                     ("region", "origin_region_id")):
            expected = {}
            for product in sector["products"]:
                if not ProductPage.objects.filter(product=product, live=True).exists():
                    continue
                value = product.craft.parent_id if attribute == "craft.parent_id" else getattr(product, attribute)
                row = expected.setdefault(str(value), [0, 0])
                row[0] += 1
                row[1] += product.label_certificates.filter(status="active").exists()
            assert {figure.key: [figure.products, figure.labelled] for figure in products_by(dimension)} == expected

    def test_certificates_issued_and_revoked_per_scheme_and_month(self, sector):
        today = timezone.localdate()
        month = today.replace(day=1)
        certificate = sector["weavers"][0].label_certificates.get()
        lead = inspector_create("lead")
        label_certificate_revocation_request(certificate=certificate, by=inspector_create("second"), reason="Machine-made")
        label_certificate_revocation_confirm(certificate=certificate, by=lead)
        [cell] = certificates_by_scheme_and_month(start=month, end=today + timedelta(days=1))
        assert (cell.scheme, cell.month, cell.issued, cell.revoked, cell.expired) == ("LNA", month, 1, 1, 0)
        assert certificates_by_scheme_and_month(start=month - timedelta(days=60), end=month) == []


class TestExportsAndFulfilment:
    def test_exports_leave_out_declined_parts_unpaid_orders_and_shipping(self, sector):
        rug, plate = sector["products"][0], sector["products"][4]
        first = paid((rug, 2), (plate, 1))
        paid((rug, 1), address=LONDON)
        order_for((rug, 1))  # never paid
        declined = SellerOrder.objects.get(order=first, seller=plate.seller)
        seller_order_decline(seller_order=declined, by=SellerMemberFactory(seller=plate.seller).user, reason="Broken")
        expected = {}
        for part in SellerOrder.objects.select_related("order").exclude(status="declined"):
            if part.order.status == Order.Status.PAID:
                expected[part.order.ship_country] = expected.get(part.order.ship_country, 0) + part.subtotal_base
        assert {figure.key: figure.value for figure in exports_by_country(start=timezone.localdate(),
                                                                          end=timezone.localdate() + timedelta(days=1))} == expected
        cells = exports_by_country_and_month(start=timezone.localdate().replace(day=1),
                                             end=timezone.localdate() + timedelta(days=1))
        assert {(cell.country, cell.value) for cell in cells} == set(expected.items())
        months = months_back(12)
        monthly = exports_by_month(months=months)
        assert [figure.key for figure in monthly] == [f"{month:%Y-%m}" for month in months]
        assert monthly[-1].value == sum(expected.values()) and all(figure.value == 0 for figure in monthly[:-1])

    def test_fulfilment_medians_and_declined_share(self, sector):
        rug, plate = sector["products"][0], sector["products"][4]
        members = {seller.pk: SellerMemberFactory(seller=seller).user for seller in (rug.seller, plate.seller)}
        start = timezone.now()
        hours_to_accept = []
        for n in range(3):
            order = paid((rug, 1), (plate, 1))
            part = SellerOrder.objects.get(order=order, seller=rug.seller)
            seller_order_accept(seller_order=part, by=members[rug.seller_id], now=start + timedelta(hours=2 * n + 1))
            hours_to_accept.append(2 * n + 1)
            if n == 0:
                seller_order_ship(seller_order=part, by=members[rug.seller_id], carrier="Amana", tracking_number="R1",
                                  now=start + timedelta(hours=30))
            if n < 2:
                seller_order_decline(seller_order=SellerOrder.objects.get(order=order, seller=plate.seller),
                                     by=members[plate.seller_id], reason="No clay")
        SellerOrder.objects.update(created_at=start)
        figures = fulfilment_figures(start=timezone.localdate(), end=timezone.localdate() + timedelta(days=1))
        assert figures.total == 6
        assert figures.by_status == {**dict.fromkeys(SellerOrder.Status.values, 0), "accepted": 2, "shipped": 1,
                                     "declined": 2, "awaiting_acceptance": 1}
        assert figures.median_hours_to_accept == pytest.approx(3)
        assert figures.median_hours_to_ship == pytest.approx(30)
        assert figures.declined_share == pytest.approx(2 / 5)


def test_no_query_count_grows_with_sellers_or_orders(sector, tree):
    today = timezone.localdate()

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            for dimension in ("region", "kind", "trade", "branch"):
                sellers_by(dimension)
            products_by("craft")
            products_by("region")
            certificates_by_scheme_and_month(start=today.replace(day=1), end=today + timedelta(days=1))
            exports_by_country(start=today, end=today + timedelta(days=1))
            exports_by_month(months=months_back(12))
            fulfilment_figures(start=today, end=today + timedelta(days=1))
        return len(captured)

    paid((sector["products"][0], 1))
    before = queries()
    for n in range(8):
        seller = SellerFactory(legal_name=f"More {n}", region=region(["MA-03", "MA-05", "MA-07"][n % 3]))
        seller.trades.add(trade("1.05.01"))
        product = product_create(seller_pages(tree, seller), title=f"Tray {n}", craft="1.05.01", stock=9)
        paid((product, 1), address=LONDON if n % 2 else PARIS)
    assert SellerMember.objects.count() >= 1
    assert queries() == before
    assert Decimal(0) < sum(figure.value for figure in exports_by_country(start=today, end=today + timedelta(days=1)))
