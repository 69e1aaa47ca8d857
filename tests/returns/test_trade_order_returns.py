"""The right of withdrawal is a consumer's (Directive 2011/83/EU art. 2(1) and 9): a trade company's order
to the EU gets the seller's own return policy, and its basket promises no 14 days."""

import pytest

from marketplace.basket.services import BasketItem
from marketplace.checkout.selectors import basket_summary
from marketplace.orders.models import Order
from marketplace.returns.selectors import return_eligibility
from marketplace.trade.selectors import trade_buyer_of
from tests.factories.trade import TradeCompanyFactory, trade_buyer_create

from .conftest import delivered_order

pytestmark = pytest.mark.django_db


def test_a_consumers_order_has_the_legal_window_and_a_trade_companys_the_sellers_policy(shop):
    consumer_part = delivered_order((shop["plate"], 2))
    assert return_eligibility(seller_order=consumer_part).withdrawal_days == 14
    trade_part = delivered_order((shop["plate"], 2))
    Order.objects.filter(pk=trade_part.order_id).update(trade_company=TradeCompanyFactory())
    trade_part.refresh_from_db()
    eligibility = return_eligibility(seller_order=trade_part)
    assert eligibility.withdrawal_days is None and not eligibility.within_window


def test_the_basket_promises_the_window_to_consumers_only(shop):
    items = [BasketItem(shop["plate"], 12)]
    assert basket_summary(items, currency="EUR", country="FR").withdrawal_days == 14
    buyer = trade_buyer_of(trade_buyer_create())
    assert basket_summary(items, currency="EUR", country="FR", buyer=buyer).withdrawal_days is None
