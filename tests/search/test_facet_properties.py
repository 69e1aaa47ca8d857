"""Property-based, on the database backend (documents written directly, for speed): for random catalogues and queries, the total is the
number of documents that match, and each facet value's count is the number of hits one gets by
choosing that value (in place of the facet's own choices)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.backends import ListingQuery
from search.backends.base import PriceRange
from search.backends.database import DatabaseListingBackend
from search.models import ListingDocument
from tests.factories.labels import scheme_create

pytestmark = pytest.mark.django_db

VALUES = {
    "category": ["1.01", "1.03"],
    "craft": ["1.01.01", "1.01.02", "1.03.01"],
    "region": ["MA-08", "MA-03", "MA-07"],
    "seller_kind": ["cooperative", "artisan"],
    "availability": ["in_stock", "made_to_order", "sold_out"],
    "material": ["wool", "cotton", "cedar"],
    "label": ["LNA", "TZN"],
}
SINGLE = {"category": "category", "craft": "craft", "region": "region", "seller_kind": "seller_kind",
          "availability": "availability"}
RANGES = (PriceRange("0-100", Decimal(0), Decimal(100)), PriceRange("100-500", Decimal(100), Decimal(500)),
          PriceRange("500-", Decimal(500), None))

documents = st.lists(st.fixed_dictionaries({
    "language": st.sampled_from(["en", "fr"]),
    **{facet: st.sampled_from(values) for facet, values in VALUES.items() if facet in SINGLE},
    "materials": st.sets(st.sampled_from(VALUES["material"])),
    "labels": st.sets(st.sampled_from(VALUES["label"])),
    "price": st.sampled_from([Decimal("50"), Decimal("99.99"), Decimal("100"), Decimal("499"), Decimal("500"), Decimal("2500")]),
}), max_size=25)
queries = st.fixed_dictionaries({
    "language": st.sampled_from(["en", "fr"]),
    "filters": st.dictionaries(st.sampled_from(sorted(VALUES)), st.sets(st.sampled_from(["1.01", "1.03", "1.01.01", "1.03.01",
                               "MA-08", "MA-03", "cooperative", "in_stock", "sold_out", "wool", "cotton", "LNA"]),
                               min_size=1, max_size=2), max_size=3),
    "price_ranges": st.sets(st.sampled_from(RANGES), max_size=2),
})


def matches(document, query) -> bool:
    if document["language"] != query.language:
        return False
    for facet, chosen in query.filters.items():
        if facet in SINGLE:
            if document[facet] not in chosen:
                return False
        elif not ({"material": document["materials"], "label": document["labels"]}[facet] & set(chosen)):
            return False
    return not query.price_ranges or any(
        document["price"] >= r.low and (r.high is None or document["price"] < r.high) for r in query.price_ranges)


@pytest.fixture
def schemes(db):
    yield [scheme_create(code="LNA"), scheme_create(code="TZN", name="Taznakht rug")]
    ListingDocument.objects.all().delete()  # their pages are made up: gone before the constraint check


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(catalogue=documents, wanted=queries)
def test_counts_agree_with_filtering(schemes, catalogue, wanted):
    ListingDocument.objects.all().delete()
    now = timezone.now()
    ListingDocument.objects.bulk_create([
        ListingDocument(
            page_id=100_000 + index, product_id=index, seller_id=1, title=f"Item {index}", body="",
            materials=ListingDocument.multi_value(document["materials"]), labels=ListingDocument.multi_value(document["labels"]),
            published_at=now - timedelta(minutes=index),
            **{key: value for key, value in document.items() if key not in ("materials", "labels")},
        )
        for index, document in enumerate(catalogue)
    ])
    backend = DatabaseListingBackend()
    filters = {facet: tuple(value for value in values if value in VALUES[facet]) for facet, values in wanted["filters"].items()}
    filters = {facet: values for facet, values in filters.items() if values}
    query = ListingQuery(language=wanted["language"], filters=filters, price_ranges=tuple(wanted["price_ranges"]),
                         facet_price_ranges=RANGES, page_size=100)
    results = backend.search(query)
    assert results.total == sum(matches(document, query) for document in catalogue)
    assert len(results.page_ids) == results.total

    for facet, values in results.facets.items():
        for value in values:
            if facet == "price":
                chosen = ListingQuery(language=query.language, filters=filters,
                                      price_ranges=tuple(r for r in RANGES if r.key == value.value), page_size=100)
            else:
                chosen = ListingQuery(language=query.language, filters={**filters, facet: (value.value,)},
                                      price_ranges=query.price_ranges, page_size=100)
            assert value.count == backend.search(chosen).total, (facet, value)
