"""The buyer's private order links take an order reference, an access token and a part's reference
from the URL: hostile values there (a NUL byte, which PostgreSQL refuses in a query and turned into a
500, a right-to-left override, an overlong string) are a plain 404 and never reach the database."""

import pytest
from django.db import connection
from django.urls import reverse

from marketplace.orders.services import order_paid
from tests.factories.catalog import product_create, seller_pages
from tests.factories.orders import europe_zone, order_for
from tests.factories.sellers import SellerFactory

pytestmark = pytest.mark.django_db

HOSTILE = ["SE26-AB\x00CD", "\x00", "SE26-\u202eABCDEF", "SE26-" + "A" * 500, "se26-abc'--"]


@pytest.fixture
def paid_order(tree):
    europe_zone()
    rug = product_create(seller_pages(tree, SellerFactory()), title="Rug", stock=3)
    order = order_for((rug, 1))
    assert order_paid(order=order, amount=order.total, currency=order.currency) == "paid"
    order.refresh_from_db()
    return order


def order_paths(order, *, reference=None, token=None, part=None):
    reference = order.reference if reference is None else reference
    token = order.access_token if token is None else token
    part = order.seller_orders.get().reference if part is None else part
    base = f"/en/orders/{reference}/{token}/"
    return [("get", base), ("post", f"{base}pay/"), ("get", f"{base}documents/{part}/commercial_invoice.pdf")]


def assert_404_without_nul_in_queries(client, paths):
    for method, path in paths:
        sent = []

        def record(execute, sql, params, many, context, sent=sent):
            sent.extend(params or ())
            return execute(sql, params, many, context)

        with connection.execute_wrapper(record):
            response = getattr(client, method)(path)
        assert response.status_code == 404, (path, response.status_code)
        # PostgreSQL refuses a NUL in text with an error (the 500 found); SQLite takes it, so the test
        # looks at the parameters sent rather than at the status alone.
        with_nul = [value for value in sent if isinstance(value, str) and "\x00" in value]
        assert not with_nul, f"{path!r} sent a NUL byte to the database: {with_nul[:1]!r}"


class TestHostileReferences:
    @pytest.mark.parametrize("value", HOSTILE)
    def test_a_hostile_order_reference_is_a_404_that_never_reaches_the_database(self, client, paid_order, value):
        assert_404_without_nul_in_queries(client, order_paths(paid_order, reference=value))

    @pytest.mark.parametrize("value", HOSTILE)
    def test_a_hostile_token_is_a_404(self, client, paid_order, value):
        assert_404_without_nul_in_queries(client, order_paths(paid_order, token=value))

    @pytest.mark.parametrize("value", HOSTILE)
    def test_a_hostile_part_reference_is_a_404_that_never_reaches_the_database(self, client, paid_order, value):
        [(_method, path)] = order_paths(paid_order, part=value)[2:]
        assert_404_without_nul_in_queries(client, [("get", path)])

    def test_the_real_links_still_work(self, client, paid_order):
        assert client.get(reverse("order_detail", args=[paid_order.reference, paid_order.access_token])).status_code == 200
        assert reverse("order_document", args=[paid_order.reference, paid_order.access_token,
                                               paid_order.seller_orders.get().reference, "commercial_invoice"])
