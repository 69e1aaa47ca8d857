"""The tax collected report: the VAT of paid orders per destination and month, in the rule's currency
at each order's stored rate, as an IOSS return needs it."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from customs.services import duty_rates_refresh, sample_rules_load
from marketplace.orders.admin import order_groups_ensure
from marketplace.orders.models import OrderCharge
from marketplace.orders.services import order_paid, order_split
from marketplace.orders.tax_report import tax_collected_by_destination_and_month
from marketplace.shipping.addresses import ShippingAddress
from sellers.roles import CHAMBER_STAFF_GROUP
from tests.factories.catalog import eu_offer_ready, product_create, seller_pages
from tests.factories.orders import europe_zone, order_for
from tests.factories.sellers import SellerFactory, UserFactory

pytestmark = pytest.mark.django_db

BERLIN = ShippingAddress(name="Jonas Weber", line1="Unter den Linden 1", line2="", city="Berlin", region="",
                         postal_code="10117", country="DE", phone="+49 30 1234567")


@pytest.fixture
def rug(tree):
    sample_rules_load()
    duty_rates_refresh()
    europe_zone()
    (rug,) = eu_offer_ready(product_create(seller_pages(tree, SellerFactory()), title="Rug", price="1000", stock=20))
    return rug


def paid(order, when):
    order_paid(order=order, amount=order.total, currency=order.currency, now=when)
    order.refresh_from_db()
    return order


def test_vat_collected_is_summed_per_country_and_month_of_payment_in_euros(rug):
    november = datetime(2026, 11, 10, tzinfo=UTC)
    first = paid(order_for((rug, 1), currency="EUR"), november)
    second = paid(order_for((rug, 1), currency="MAD"), november)
    german = paid(order_for((rug, 1), currency="EUR", address=BERLIN), november)
    order_for((rug, 1), currency="EUR")  # never paid: not in the return
    rows = tax_collected_by_destination_and_month()
    france = next(row for row in rows if row.country == "FR")
    assert (france.month.isoformat(), france.scheme, france.rate, france.currency, france.orders) == (
        "2026-11-01", "ioss", Decimal("20.000"), "EUR", 2)
    expected = sum(
        (charge.amount_base * order.customs_rate).quantize(Decimal("0.01"))
        for order in (first, second) for charge in order.charges.filter(kind=OrderCharge.Kind.TAX))
    assert france.tax == expected and france.refunded == 0
    germany = next(row for row in rows if row.country == "DE")
    assert germany.rate == Decimal("19.000") and germany.orders == 1
    assert germany.tax_base == german.charges.get(kind=OrderCharge.Kind.TAX).amount_base
    assert tax_collected_by_destination_and_month(start=datetime(2026, 12, 1).date()) == []


def test_a_declined_part_shows_its_tax_as_refunded(rug):
    order = paid(order_for((rug, 1), currency="EUR"), datetime(2026, 11, 10, tzinfo=UTC))
    (part,) = order_split(order=order)
    part.status = part.Status.DECLINED
    part.save()
    (row,) = tax_collected_by_destination_and_month()
    assert row.refunded == row.tax > 0


def test_staff_read_and_export_the_report(client, rug):
    paid(order_for((rug, 1), currency="EUR"), datetime.now(UTC))
    order_groups_ensure()
    staff = UserFactory()
    staff.groups.add(Group.objects.get(name=CHAMBER_STAFF_GROUP))
    client.force_login(staff)
    page = client.get(reverse("orders_tax_collected"))
    assert page.status_code == 200 and "France (FR)" in page.content.decode()
    export = client.get(reverse("orders_tax_collected") + "?export=csv")
    assert export.status_code == 200 and b"FR" in b"".join(export.streaming_content if export.streaming else [export.content])
    assert client.get(reverse("orders_tax_collected") + "?months=nonsense&scheme=<script>").status_code == 200
