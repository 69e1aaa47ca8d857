"""Listing cards are kept in the cache until their product, their page or the catalogue changes."""

from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale

from catalog import selectors
from catalog.cache import cache_tags_invalidate, product_tag
from catalog.models import ProductPage
from catalog.selectors import product_cards_by_id, product_pages_for_listing
from tests.factories.catalog import product_create, seller_pages

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(tree):
    pages = seller_pages(tree)
    return [product_create(pages, title=title, price=price) for title, price in
            (("Taznakht rug", "1200.00"), ("Safi plate", "200.00"), ("Fes bowl", "300.00"))]


def english_ids(products):
    return [ProductPage.objects.get(product=product, locale__language_code="en").pk for product in products]


def cards(page_ids):
    return product_cards_by_id(page_ids, pages=product_pages_for_listing(locale=Locale.objects.get(language_code="en")))


def test_cards_made_once_are_served_without_a_query(listed):
    page_ids = english_ids(listed)
    first = cards(page_ids)
    with CaptureQueriesContext(connection) as queries:
        again = cards(page_ids)
    assert again == first and [card.page_id for card in again] == page_ids
    assert not [query for query in queries.captured_queries if "wagtailcore_locale" not in query["sql"]]


def test_a_product_change_remakes_its_card_only(listed, django_capture_on_commit_callbacks):
    page_ids = english_ids(listed)
    cards(page_ids)
    rug = listed[0]
    with django_capture_on_commit_callbacks(execute=True):
        rug.price = Decimal("999.00")
        rug.save()
    with mock.patch.object(selectors, "product_cards", wraps=selectors.product_cards) as made:
        fresh = cards(page_ids)
    assert [card.price for card in fresh] == [Decimal("999.00"), Decimal("200.00"), Decimal("300.00")]
    (call,) = made.call_args_list
    assert set(call.args[0].values_list("pk", flat=True)) == {page_ids[0]}


def test_a_published_page_change_shows_at_once(listed, django_capture_on_commit_callbacks):
    page_ids = english_ids(listed)
    cards(page_ids)
    page = ProductPage.objects.get(pk=page_ids[1])
    page.title = "Safi plate, blue"
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    assert cards(page_ids)[1].title == "Safi plate, blue"


def test_pages_no_longer_listed_are_left_out(listed, django_capture_on_commit_callbacks):
    page_ids = english_ids(listed)
    cards(page_ids)
    with django_capture_on_commit_callbacks(execute=True):
        ProductPage.objects.get(pk=page_ids[2]).unpublish()
    assert [card.page_id for card in cards(page_ids)] == page_ids[:2]


def test_a_card_made_while_its_product_changed_is_not_kept(listed):
    page_ids = english_ids(listed)
    making = selectors.product_cards

    def changed_meanwhile(*args, **kwargs):
        made = making(*args, **kwargs)
        cache_tags_invalidate([product_tag(listed[0].pk)])
        return made

    with mock.patch.object(selectors, "product_cards", side_effect=changed_meanwhile):
        cards(page_ids)
    with mock.patch.object(selectors, "product_cards", wraps=making) as made:
        cards(page_ids)
    (call,) = made.call_args_list
    assert set(call.args[0].values_list("pk", flat=True)) == {page_ids[0]}
