"""Product pages for trade buyers: the tiers, case pack, suggested retail price and the seller's minimums,
for verified trade buyers only, and never through the shared page cache to anyone else."""

from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress

from catalog.models import Product, ProductPage, ProductPriceTier
from tests.factories.catalog import product_create, seller_pages
from tests.factories.sellers import SellerFactory, UserFactory
from tests.factories.trade import TradeCompanyFactory, trade_buyer_create

pytestmark = pytest.mark.django_db

TRADE_HEADING = "Your trade prices"


@pytest.fixture
def page(tree):
    seller = SellerFactory(first_order_minimum=Decimal("3000"), reorder_minimum=Decimal("1500"))
    product = product_create(seller_pages(tree, seller), title="Tagine", price="1000.00", stock=200)
    Product.objects.filter(pk=product.pk).update(case_pack=6, suggested_retail_price=Decimal("2400"))
    ProductPriceTier.objects.create(product=product, min_quantity=1, unit_price=Decimal("900.00"))
    ProductPriceTier.objects.create(product=product, min_quantity=12, unit_price=Decimal("777.00"))
    return ProductPage.objects.get(product=product, locale__language_code="en")


def signed_in(client, user):
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.force_login(user)
    return client


def test_a_trade_buyer_sees_the_tiers_case_and_minimums(client, page):
    html = signed_in(client, trade_buyer_create()).get(page.url).content.decode()
    assert TRADE_HEADING in html
    assert "1 to 11" in html and "12 and more" in html and "777.00" in html
    assert "Case pack" in html and "Suggested retail price" in html and "2,400.00" in html
    assert "first order minimum" in html and "3,000.00" in html
    assert 'step="6"' in html and 'min="6"' in html


@pytest.mark.parametrize("who", ["visitor", "retail", "pending company"])
def test_anyone_else_sees_the_retail_price_only(client, page, who):
    if who == "retail":
        signed_in(client, UserFactory())
    elif who == "pending company":
        signed_in(client, trade_buyer_create(TradeCompanyFactory(status="pending")))
    html = client.get(page.url).content.decode()
    assert TRADE_HEADING not in html and "777.00" not in html and "Suggested retail price" not in html
    assert "1,000.00" in html and 'step="6"' not in html


def test_a_trade_page_is_private_and_a_visitor_after_the_trade_buyer_never_sees_its_prices(client, page, settings):
    from django.test import Client

    settings.PAGE_CACHE_SECONDS = 300
    trade = signed_in(client, trade_buyer_create())
    trade.get(page.url)
    response = trade.get(page.url)
    assert TRADE_HEADING in response.content.decode()
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]

    for _visit in range(2):  # the first visit fills the cache, the second is served from it
        html = Client().get(page.url).content.decode()
        assert TRADE_HEADING not in html and "777.00" not in html and "1,000.00" in html


def test_a_trade_buyer_after_a_visitor_gets_trade_prices_not_the_cached_retail_page(client, page, settings):
    from django.test import Client

    settings.PAGE_CACHE_SECONDS = 300
    Client().get(page.url)
    Client().get(page.url)
    assert TRADE_HEADING in signed_in(client, trade_buyer_create()).get(page.url).content.decode()
