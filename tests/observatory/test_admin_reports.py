"""The chamber's sector reports: who sees them, their chart and table, and their spreadsheet export."""

import csv
import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone

from marketplace.orders.services import order_paid
from sellers.roles import CHAMBER_STAFF_GROUP
from tests.factories.catalog import product_create, seller_pages
from tests.factories.orders import europe_zone, order_for
from tests.factories.sellers import SellerFactory, SellerMemberFactory, UserFactory, trade

pytestmark = pytest.mark.django_db
REPORTS = ["sellers", "products", "certificates", "exports", "fulfilment", "inactive"]


@pytest.fixture
def staff():
    chamber = Group.objects.get_or_create(name=CHAMBER_STAFF_GROUP)[0]
    chamber.permissions.add(Permission.objects.get(codename="access_admin"),
                            Permission.objects.get(content_type__app_label="sellers", codename="view_seller"))
    user = UserFactory(username="chamber")
    user.groups.add(chamber)
    return user


@pytest.fixture
def sector(tree):
    europe_zone()
    sellers = [SellerFactory(legal_name=f"Weavers {n}", members_women=12, members_men=n) for n in range(3)]
    for seller in sellers:
        seller.trades.add(trade("1.01.01"))
    product = product_create(seller_pages(tree, sellers[0]), stock=20)
    order = order_for((product, 2))
    order_paid(order=order, amount=order.total, currency=order.currency)
    SellerFactory(legal_name="Dormant Cooperative")
    return sellers


@pytest.mark.parametrize("report", REPORTS)
def test_staff_open_each_report_with_its_chart_and_table(client, staff, sector, report):
    client.force_login(staff)
    response = client.get(reverse(f"observatory_{report}"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<table" in html
    if report != "inactive":
        assert "<svg" in html and "chart__table" in html


def test_the_sellers_report_groups_by_trade_and_exports_csv(client, staff, sector):
    client.force_login(staff)
    response = client.get(reverse("observatory_sellers"), {"by": "trade", "export": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    weaving = next(row for row in rows if row["Code"] == str(trade("1.01.01").pk))
    assert (weaving["Sellers"], weaving["Women members"], weaving["Men members"]) == ("3", "36", "3")
    assert weaving["Inactive"] == "2"  # Weavers 1 and 2: verified, no listing, no order


def test_the_inactive_report_lists_the_dormant_sellers(client, staff, sector):
    client.force_login(staff)
    html = client.get(reverse("observatory_inactive")).content.decode()
    assert "Dormant Cooperative" in html and "Weavers 1" in html and "Weavers 0" not in html


def test_the_exports_report_exports_its_rows(client, staff, sector):
    client.force_login(staff)
    response = client.get(reverse("observatory_exports"), {"export": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row["Destination"] for row in rows] == ["FR"] and rows[0]["Orders"] == "1"
    assert rows[0]["Month"] == timezone.localdate().replace(day=1).isoformat()


@pytest.mark.parametrize("role", ["seller member", "buyer"])
def test_others_do_not_see_the_reports(client, sector, role):
    user = SellerMemberFactory(seller=sector[0]).user if role == "seller member" else UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    for report in REPORTS:
        response = client.get(reverse(f"observatory_{report}"))
        assert response.status_code in (302, 403), (role, report)
        assert "Weavers" not in response.content.decode()
