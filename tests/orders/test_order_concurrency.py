"""Buyers racing for the last units on PostgreSQL: each unit is sold once, the stock never goes below
zero, and buyers asking for the same products in opposite orders do not deadlock.

Real threads, each with its own connection, started together behind a barrier; the test database is
committed to for real (``transaction=True``). SQLite serialises writers, so it would prove nothing:
these tests run in CI's PostgreSQL stage.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import translation

from catalog.models import Product
from marketplace.orders.models import Order, OrderLine
from marketplace.orders.selectors import order_url
from tests.factories.catalog import product_create, seller_pages, site_tree
from tests.factories.orders import europe_zone, order_for
from tests.factories.sellers import SellerFactory

pytestmark = [
    pytest.mark.services,
    pytest.mark.skipif(connection.vendor != "postgresql", reason=f"needs PostgreSQL (DATABASE_URL), not "
                       f"{connection.vendor}: SQLite serialises writers, so concurrent buyers cannot race there"),
    # Real commits; the serialized rollback puts back the locales, root page and rates that the flush
    # after a transactional test removes.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

JOIN_TIMEOUT_S = 60  # far above a normal run (a few seconds): a hang means a deadlock or a lost lock


def race(buyers, *, watch_product_ids=()):
    """Run each callable in its own thread, all released at once; return what each returned or raised.

    Every thread opens its connection before the start so the connects are not what orders the buyers,
    and closes it when done. While they run, one more thread keeps reading the stock of the watched
    products; the smallest values it saw are returned too.
    """
    barrier = threading.Barrier(len(buyers) + 1)
    outcomes = [None] * len(buyers)
    done = threading.Event()
    lowest = {}

    def buyer(index, place):
        translation.activate("en")
        try:
            try:
                connection.ensure_connection()
            except Exception:
                barrier.abort()  # the others stop waiting at once rather than at the timeout
                raise
            barrier.wait(timeout=JOIN_TIMEOUT_S)
            outcomes[index] = place()
        except Exception as error:  # every outcome is asserted on by the test
            outcomes[index] = error
        finally:
            connections.close_all()

    def watcher():
        try:
            connection.ensure_connection()
            barrier.wait(timeout=JOIN_TIMEOUT_S)
            while True:
                finished = done.is_set()  # one more reading after the last buyer is done
                for pk, stock in Product.objects.filter(pk__in=watch_product_ids).values_list("pk", "stock"):
                    lowest[pk] = min(stock, lowest.get(pk, stock))
                if finished:
                    break
        except Exception:
            barrier.abort()
            raise
        finally:
            connections.close_all()

    threads = [threading.Thread(target=buyer, args=(index, place)) for index, place in enumerate(buyers)]
    threads.append(threading.Thread(target=watcher))
    for thread in threads:
        thread.start()
    for thread in threads[:-1]:
        thread.join(timeout=JOIN_TIMEOUT_S)
    done.set()
    threads[-1].join(timeout=JOIN_TIMEOUT_S)
    hung = [thread.name for thread in threads if thread.is_alive()]
    assert not hung, f"{len(hung)} thread(s) still running after {JOIN_TIMEOUT_S} s: a deadlock?"
    assert set(lowest) == set(watch_product_ids), "the stock watcher read nothing"
    return outcomes, lowest


def assert_refused_for_stock(losers):
    """Each loser was told the product sold out: a ValidationError, never a database error."""
    unexpected = [error for error in losers if not isinstance(error, ValidationError)]
    assert not unexpected, f"losers got other exceptions: {unexpected[:3]!r}"
    for error in losers:
        message = " ".join(error.messages).lower()
        assert error.code == "stock" or "sold out" in message, (error.code, message)


@pytest.fixture
def sellers():
    tree = site_tree()
    europe_zone()
    return tree


class TestLastUnits:
    def test_fifty_buyers_for_the_last_ten_units_make_ten_orders(self, sellers):
        rug = product_create(seller_pages(sellers, SellerFactory()), title="Last rugs", stock=10)

        outcomes, lowest = race(
            [lambda n=n: order_for((rug, 1), email=f"buyer{n}@example.com") for n in range(50)],
            watch_product_ids=[rug.pk],
        )

        orders = [outcome for outcome in outcomes if isinstance(outcome, Order)]
        losers = [outcome for outcome in outcomes if not isinstance(outcome, Order)]
        assert len(orders) == 10 and len(losers) == 40
        assert_refused_for_stock(losers)
        assert Order.objects.count() == 10
        assert set(Order.objects.values_list("pk", flat=True)) == {order.pk for order in orders}
        assert list(OrderLine.objects.values_list("quantity", flat=True)) == [1] * 10
        assert Product.objects.get(pk=rug.pk).stock == 0
        assert lowest[rug.pk] >= 0


class TestOppositeOrders:
    def test_buyers_asking_for_two_products_in_opposite_orders_neither_deadlock_nor_oversell(self, sellers):
        # Two sellers, so each order also has two shipping parts, as across a real basket.
        rug = product_create(seller_pages(sellers, SellerFactory()), title="Rug", stock=10)
        plate = product_create(seller_pages(sellers, SellerFactory()), title="Plate", stock=10,
                               craft="1.03.02", hs_code="6912.00")

        def buyer(n):
            pair = [(rug, 1), (plate, 1)]
            return lambda: order_for(*(pair if n % 2 else pair[::-1]), email=f"buyer{n}@example.com")

        outcomes, lowest = race([buyer(n) for n in range(40)], watch_product_ids=[rug.pk, plate.pk])

        orders = [outcome for outcome in outcomes if isinstance(outcome, Order)]
        assert_refused_for_stock([outcome for outcome in outcomes if not isinstance(outcome, Order)])
        assert len(orders) == 10 and Order.objects.count() == 10
        for product in (rug, plate):
            assert list(OrderLine.objects.filter(product=product).values_list("quantity", flat=True)) == [1] * 10
            assert Product.objects.get(pk=product.pk).stock == 0
            assert lowest[product.pk] >= 0
        assert all(order.lines.count() == 2 for order in Order.objects.all())


class TestSamePlacementConcurrently:
    """Five simultaneous "place order" posts from one basket made four orders: with the attempt's key
    they make one, and every post gets that order."""

    def test_five_concurrent_placements_of_one_attempt_make_one_order(self, sellers):
        rug = product_create(seller_pages(sellers, SellerFactory()), title="Rugs", stock=10)

        outcomes, lowest = race([lambda: order_for((rug, 2), placement_key="one-attempt")] * 5,
                                watch_product_ids=[rug.pk])

        assert all(isinstance(outcome, Order) for outcome in outcomes), outcomes
        assert len({outcome.pk for outcome in outcomes}) == 1
        assert Order.objects.count() == 1
        assert Product.objects.get(pk=rug.pk).stock == 8 and lowest[rug.pk] >= 8

    def test_five_concurrent_posts_of_the_review_form_make_one_order(self, sellers):
        from django.test import Client
        from django.urls import reverse

        from tests.checkout.test_checkout_views import ADDRESS, ORIGIN, review_attempt

        rug = product_create(seller_pages(sellers, SellerFactory()), title="Rugs", stock=10)
        buyer = Client()
        buyer.post(reverse("basket_add"), {"product": rug.pk, "quantity": 2}, **ORIGIN)
        buyer.post(reverse("checkout"), ADDRESS)
        attempt = review_attempt(buyer)
        cookies = buyer.cookies

        def post():
            client = Client()
            client.cookies = cookies  # the same browser: one session, one basket
            return client.post(reverse("checkout_review"), {"attempt": attempt})

        outcomes, _lowest = race([post] * 5, watch_product_ids=[rug.pk])

        assert [getattr(outcome, "status_code", outcome) for outcome in outcomes] == [302] * 5
        order = Order.objects.get()
        assert {outcome["Location"].split("?")[0] for outcome in outcomes} == {
            f"http://testserver{order_url(order)}"}
        assert Product.objects.get(pk=rug.pk).stock == 8
