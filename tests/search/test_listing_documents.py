"""Listing documents are written only when they change: a rebuild of an unchanged catalogue rewrites
no row (each rewritten row is a dead row version on PostgreSQL), and the vocabulary stays counted."""

from decimal import Decimal

import pytest

from search.documents import _documents_insert, _values, listing_documents_build, listing_documents_sync
from search.models import ListingDocument, VocabularyTerm
from search.services import listing_documents_rebuild
from tests.factories.catalog import product_create, seller_pages

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(tree):
    pages = seller_pages(tree)
    return [product_create(pages, title="Taznakht rug"), product_create(pages, title="Safi plate", craft="1.03.02")]


def page_ids(products):
    return [page.pk for product in products for page in product.pages.all()]


def test_an_unchanged_catalogue_rewrites_nothing(listed):
    assert ListingDocument.objects.count() == 6
    vocabulary = set(VocabularyTerm.objects.values_list("language", "term", "documents"))
    assert listing_documents_sync(page_ids(listed)) == (0, 0)
    assert listing_documents_rebuild() == 6
    assert set(VocabularyTerm.objects.values_list("language", "term", "documents")) == vocabulary


def test_a_changed_product_rewrites_its_documents_only(listed):
    rug, plate = listed
    plate.price = Decimal("250.00")
    plate.save()
    assert listing_documents_sync(page_ids(listed)) == (3, 0)
    assert set(ListingDocument.objects.filter(product_id=plate.pk).values_list("price", flat=True)) == {Decimal("250.00")}


def test_a_new_title_moves_its_words_in_the_vocabulary(listed):
    rug, _plate = listed
    page = rug.pages.get(locale__language_code="en")
    page.title = "Taznakht carpet"
    page.save_revision().publish()
    assert listing_documents_sync([page.pk]) == (1, 0)
    english = dict(VocabularyTerm.objects.filter(language="en").values_list("term", "documents"))
    assert english.get("carpet") == 1 and english.get("taznakht") == 1


def test_a_page_no_longer_listed_loses_its_document_and_words(listed):
    rug, _plate = listed
    page = rug.pages.get(locale__language_code="en")
    page.unpublish()
    assert listing_documents_sync([page.pk]) == (0, 1)
    assert not ListingDocument.objects.filter(page_id=page.pk).exists()
    assert "taznakht" not in set(VocabularyTerm.objects.filter(language="en").values_list("term", flat=True))


def test_new_documents_written_together_read_back_as_built(listed):
    ids = page_ids(listed)
    ListingDocument.objects.all().delete()
    built = {document.page_id: _values(document) for document in listing_documents_build(ids)}
    assert listing_documents_sync(ids) == (6, 0)
    assert {document.page_id: _values(document) for document in ListingDocument.objects.all()} == built


def test_a_document_another_worker_wrote_meanwhile_is_overwritten_not_an_error(listed):
    ids = page_ids(listed)
    fresh = listing_documents_build(ids)
    ListingDocument.objects.filter(page_id=ids[0]).update(title="Written meanwhile")  # still there: a race
    _documents_insert(fresh)
    assert ListingDocument.objects.get(page_id=ids[0]).title != "Written meanwhile"
    assert ListingDocument.objects.count() == 6
