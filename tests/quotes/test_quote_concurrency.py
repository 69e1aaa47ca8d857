"""Two users of the company accepting the same quote at the same moment, on PostgreSQL: one order is
made, the other user is told the quote was accepted already. Real threads and commits, as in
tests/orders/test_order_concurrency.py (SQLite serialises writers, so it would prove nothing)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from marketplace.orders.models import Order
from marketplace.quotes.models import Quote
from marketplace.quotes.services import quote_accept
from tests.factories.quotes import AMSTERDAM, quote_for, request_for_quote, seller_with_member
from tests.factories.trade import trade_buyer_create
from tests.orders.test_order_concurrency import race

pytestmark = [
    pytest.mark.services,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL): SQLite "
                       "serialises writers, so concurrent acceptances cannot race there"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_concurrent_acceptances_of_one_quote_make_one_order():
    safi, potter = seller_with_member(legal_name="Coopérative Poterie Safi")
    request = request_for_quote(sellers=[safi])
    quote = quote_for(request.threads.get(), potter)
    buyers = [request.created_by] + [trade_buyer_create(request.company, role="buyer") for _ in range(5)]

    def accepting(user):
        return lambda: quote_accept(quote=Quote.objects.get(pk=quote.pk), by=user, address=AMSTERDAM,
                                    currency="EUR", provider_name="offline")

    outcomes, _lowest = race([accepting(user) for user in buyers])
    orders = [outcome for outcome in outcomes if isinstance(outcome, Order)]
    refused = [outcome for outcome in outcomes if not isinstance(outcome, Order)]
    assert len(orders) == 1 and Order.objects.count() == 1
    assert all(isinstance(error, ValidationError) and error.code == "accepted" for error in refused), refused
    assert Quote.objects.get(pk=quote.pk).order_id == orders[0].pk
