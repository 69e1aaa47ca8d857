"""The basket: a visitor's in the session, merged into the account's at login; quantities bounded by
the minimum order and the stock (made-to-order products have no stock bound); several sellers."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from marketplace.basket.models import BasketLine
from marketplace.basket.services import SESSION_KEY, Basket
from sellers.models import Seller
from tests.factories.catalog import product_create, seller_pages
from tests.factories.sellers import SellerFactory, UserFactory

pytestmark = pytest.mark.django_db


def visitor_request(user=None):
    request = RequestFactory().get("/")
    request.session = SessionStore()
    request.user = user or AnonymousUser()
    return request


@pytest.fixture
def products(tree):
    rug = product_create(seller_pages(tree, SellerFactory()), title="Rug", stock=3)
    plate = product_create(seller_pages(tree, SellerFactory()), title="Plate", craft="1.03.02", hs_code="6912.00",
                           stock=40, min_order_quantity=6)
    tagine = product_create(seller_pages(tree, SellerFactory()), title="Tagine", stock=0, made_to_order=True,
                            lead_time_days=15)
    return {"rug": rug, "plate": plate, "tagine": tagine}


def test_a_visitor_fills_a_basket_from_several_sellers(products):
    basket = Basket(visitor_request())
    basket.add(products["rug"], 2)
    basket.add(products["plate"], 6)
    basket.add(products["tagine"], 25)  # made to order: no stock bound
    assert basket.lines() == {products["rug"].pk: 2, products["plate"].pk: 6, products["tagine"].pk: 25}
    assert len({item.product.seller_id for item in basket.items()}) == 3


@pytest.mark.parametrize("name, quantity, message", [
    ("rug", 4, "Only 3 left in stock."),
    ("plate", 5, "sold by 6 at least"),
])
def test_quantities_beyond_the_bounds_are_refused_and_the_basket_is_unchanged(products, name, quantity, message):
    basket = Basket(visitor_request())
    basket.add(products["rug"], 1)
    with pytest.raises(ValidationError, match=message):
        basket.set(products[name], quantity)
    assert basket.lines() == {products["rug"].pk: 1}


def test_adding_again_adds_up_within_the_stock(products):
    basket = Basket(visitor_request())
    basket.add(products["rug"], 2)
    with pytest.raises(ValidationError, match="Only 3 left"):
        basket.add(products["rug"], 2)
    basket.add(products["rug"], 1)
    assert basket.lines() == {products["rug"].pk: 3}


def test_a_suspended_sellers_product_cannot_be_added(products):
    Seller.objects.filter(pk=products["rug"].seller_id).update(status=Seller.Status.SUSPENDED)
    products["rug"].seller.refresh_from_db()
    with pytest.raises(ValidationError, match="no longer on sale"):
        Basket(visitor_request()).add(products["rug"], 1)


def test_logging_in_merges_the_visitors_basket_into_the_accounts(client, products):
    buyer = UserFactory(username="buyer", password="a-long-pass-phrase-2026")
    BasketLine.objects.create(user=buyer, product=products["rug"], quantity=2)
    session = client.session
    session[SESSION_KEY] = {str(products["rug"].pk): 2, str(products["plate"].pk): 6}
    session.save()
    assert client.login(username="buyer", password="a-long-pass-phrase-2026")
    lines = dict(BasketLine.objects.filter(user=buyer).values_list("product_id", "quantity"))
    assert lines == {products["rug"].pk: 3, products["plate"].pk: 6}  # 2 + 2 rugs, bounded by the 3 in stock
    assert SESSION_KEY not in client.session


def test_a_signed_in_buyers_basket_is_kept_in_the_database(products):
    buyer = UserFactory()
    Basket(visitor_request(buyer)).add(products["plate"], 12)
    assert Basket(visitor_request(buyer)).lines() == {products["plate"].pk: 12}
