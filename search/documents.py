"""Listing documents built from the catalogue: which pages are listed, and what search reads of them."""

from collections import defaultdict

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.html import strip_tags

from catalog.models import Material, ProductPage
from config.bulk_rows import rows_insert
from labels.models import LabelCertificate
from sellers.models import Region, Seller, Trade

from .models import ListingDocument
from .vocabulary import vocabulary_update

BATCH_SIZE = 2000
_DOCUMENT_FIELDS = [field.name for field in ListingDocument._meta.get_fields() if field.concrete and field.name != "page"]


def _name(row_or_names, language: str) -> str:
    name, name_fr, name_ar = row_or_names
    return {"fr": name_fr, "ar": name_ar}.get(language) or name


def listable_pages():
    """The pages search lists: live product pages of verified sellers."""
    return ProductPage.objects.live().filter(product__seller__status=Seller.Status.VERIFIED)


def listing_documents_build(page_ids) -> list[ListingDocument]:
    """The documents of those of ``page_ids`` that are listed (others get none), in five queries."""
    rows = list(
        listable_pages().filter(pk__in=page_ids).values(
            "pk", "title", "description", "first_published_at", "last_published_at", "locale__language_code",
            "product_id", "product__seller_id", "product__seller__kind", "product__seller__legal_name",
            "product__price", "product__stock", "product__made_to_order", "product__min_order_quantity",
            "product__craft_id", "product__origin_region_id",
        )
    )
    if not rows:
        return []
    product_ids = {row["product_id"] for row in rows}
    trades = {pk: (code, parent_id, (name, fr, ar)) for pk, code, parent_id, name, fr, ar in
              Trade.objects.values_list("pk", "code", "parent_id", "name", "name_fr", "name_ar")}
    regions = {pk: (code, (name, fr, ar)) for pk, code, name, fr, ar in
               Region.objects.values_list("pk", "code", "name", "name_fr", "name_ar")}
    materials = defaultdict(list)
    for product_id, slug, name, fr, ar in Material.products.through.objects.filter(product_id__in=product_ids).values_list(
        "product_id", "material__slug", "material__name", "material__name_fr", "material__name_ar"
    ):
        materials[product_id].append((slug, (name, fr, ar)))
    labels = defaultdict(set)
    today = timezone.localdate()
    for product_id, code in LabelCertificate.products.through.objects.filter(
        product_id__in=product_ids, labelcertificate__status=LabelCertificate.Status.ACTIVE,
        labelcertificate__valid_from__lte=today, labelcertificate__valid_until__gte=today,
    ).values_list("product_id", "labelcertificate__scheme__code"):
        labels[product_id].add(code)

    documents = []
    for row in rows:
        language = row["locale__language_code"]
        craft_code, parent_id, craft_names = trades[row["product__craft_id"]]
        category = trades[parent_id][0] if parent_id and craft_code.count(".") >= 2 else craft_code
        region_code, region_names = regions[row["product__origin_region_id"]]
        product_materials = materials[row["product_id"]]
        if row["product__made_to_order"]:
            availability = ListingDocument.Availability.MADE_TO_ORDER
        elif row["product__stock"] >= row["product__min_order_quantity"]:
            availability = ListingDocument.Availability.IN_STOCK
        else:
            availability = ListingDocument.Availability.SOLD_OUT
        body = " ".join([
            strip_tags(row["description"] or ""), _name(craft_names, language), _name(region_names, language),
            *[_name(names, language) for _slug, names in product_materials], row["product__seller__legal_name"],
        ])
        documents.append(ListingDocument(
            page_id=row["pk"], product_id=row["product_id"], seller_id=row["product__seller_id"], language=language,
            title=row["title"], body=" ".join(body.split()), category=category, craft=craft_code, region=region_code,
            seller_kind=row["product__seller__kind"],
            materials=ListingDocument.multi_value(slug for slug, _names in product_materials),
            labels=ListingDocument.multi_value(labels[row["product_id"]]), price=row["product__price"],
            availability=availability,
            published_at=row["first_published_at"] or row["last_published_at"] or timezone.now(),
        ))
    return documents


@transaction.atomic
def listing_documents_sync(page_ids) -> tuple[int, int]:
    """Bring the documents of ``page_ids`` in line with the catalogue (listed pages written, the
    others removed) and the vocabulary with them. Returns (written, removed).

    Only documents that differ from the stored ones are written: an unchanged row rewritten is a dead
    row version on PostgreSQL (with its text vector and index entries made again), so a full rebuild
    of an unchanged catalogue used to leave as many dead rows as documents and slow searches until
    a vacuum."""
    page_ids = list(set(page_ids))
    written = removed = 0
    for start in range(0, len(page_ids), BATCH_SIZE):
        batch = page_ids[start : start + BATCH_SIZE]
        documents = listing_documents_build(batch)
        stored = {document.page_id: document for document in ListingDocument.objects.filter(page_id__in=batch)}
        changed = [document for document in documents
                   if document.page_id not in stored or _values(stored[document.page_id]) != _values(document)]
        listed = {document.page_id for document in documents}
        vocabulary_update(
            removed=[document for page_id, document in stored.items() if page_id not in listed]
            + [stored[document.page_id] for document in changed if document.page_id in stored],
            added=changed,
        )
        _documents_insert([document for document in changed if document.page_id not in stored])
        _documents_upsert([document for document in changed if document.page_id in stored])
        removed += ListingDocument.objects.filter(page_id__in=set(batch) - listed).delete()[0]
        written += len(changed)
    return written, removed


def _documents_insert(documents) -> None:
    """New documents in one ``COPY`` (a full rebuild writes millions); if another worker wrote one of
    them meanwhile, the batch is written as an upsert instead."""
    fields = ListingDocument._meta.local_concrete_fields
    try:
        with transaction.atomic():
            rows_insert(ListingDocument, [{field.attname: getattr(document, field.attname) for field in fields}
                                          for document in documents])
    except IntegrityError:
        _documents_upsert(documents)


def _documents_upsert(documents) -> None:
    ListingDocument.objects.bulk_create(
        documents, update_conflicts=True, unique_fields=["page"], update_fields=_DOCUMENT_FIELDS
    )


def _values(document: ListingDocument) -> tuple:
    return tuple(getattr(document, name) for name in _DOCUMENT_FIELDS)


def listing_page_ids_of(*, product_ids=(), seller_ids=()) -> list[int]:
    """Every page (listed or not) of these products or sellers' products."""
    pages = ProductPage.objects.none()
    if product_ids:
        pages = pages | ProductPage.objects.filter(product_id__in=product_ids)
    if seller_ids:
        pages = pages | ProductPage.objects.filter(product__seller_id__in=seller_ids)
    return list(pages.values_list("pk", flat=True))
