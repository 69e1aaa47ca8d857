"""The demo's products and their pages in three languages, written with bulk inserts (the tree paths
computed here), so that a catalogue of 100,000 products takes minutes, not hours."""

import random
import uuid
from datetime import timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import (
    Page,
)
from wagtail.search.backends import get_search_backend

from catalog.models import (
    Material,
    Product,
    ProductPage,
    ProductPageImage,
)
from demo.data import (
    COLOURWAYS,
    PRODUCTS,
)
from sellers.models import Trade

from .pages import LANGUAGES, _text

BATCH_SIZE = 2000
# Pages indexed for the admin's page search only up to this many; a bigger catalogue is indexed later.
ADMIN_SEARCH_INDEX_LIMIT = 5000


def _ensure_products(verified, images, *, total, progress):
    existing = Product.objects.count()
    missing = max(0, total - existing)
    if not missing or not verified:
        return 0
    materials = {material.slug: material for material in Material.objects.all()}
    trades = {trade.code: trade for trade in Trade.objects.filter(country="MA")}
    created = 0
    for batch_start in range(existing, total, BATCH_SIZE):
        batch = range(batch_start, min(total, batch_start + BATCH_SIZE))
        with transaction.atomic():
            _create_product_batch(batch, verified, images, materials, trades, index_for_admin=total <= ADMIN_SEARCH_INDEX_LIMIT)
        created += len(batch)
        if progress:
            progress(created, missing)
    return created


def _create_product_batch(numbers, verified, images, materials, trades, *, index_for_admin):
    now = timezone.now()
    plans = []
    for number in numbers:
        seller, family, pages = verified[number % len(verified)]
        rng = random.Random(number)
        variant = number // len(verified)
        title, description, craft, material_slugs, hs_code, price_range, weight_range, dimensions, lead_time, motif = (
            PRODUCTS[family][variant % len(PRODUCTS[family])]
        )
        colour_index = (variant + number) % len(COLOURWAYS)
        made_to_order = lead_time is not None and rng.random() < 0.5
        product = Product(
            seller=seller,
            price=Decimal(rng.randrange(price_range[0], price_range[1] + 1, 10)),
            stock=0 if made_to_order else rng.choice([0, 1, 2, 3, 5, 8, 12, 20, 40]),
            made_to_order=made_to_order,
            lead_time_days=lead_time if made_to_order else None,
            min_order_quantity=6 if family == "argan" else 1,
            craft=trades[craft],
            origin_region=seller.region,
            weight_grams=rng.randrange(weight_range[0], weight_range[1] + 1),
            hs_code=hs_code,
            length_cm=Decimal(dimensions[0]) if dimensions else None,
            width_cm=Decimal(dimensions[1]) if dimensions else None,
            height_cm=Decimal(dimensions[2]) if dimensions else None,
        )
        published_at = now - timedelta(minutes=number * 7 % (60 * 24 * 120), seconds=number)
        plans.append((product, pages, title, description, colour_index, motif, material_slugs, published_at, number))
    Product.objects.bulk_create([plan[0] for plan in plans])
    Product.materials.through.objects.bulk_create(
        [
            Product.materials.through(product_id=plan[0].pk, material_id=materials[slug].pk)
            for plan in plans
            for slug in plan[6]
        ]
    )
    page_rows = {language: [] for language in LANGUAGES}
    for product, pages, title, description, colour_index, motif, _materials, published_at, number in plans:
        translation_key = uuid.uuid4()
        colour = COLOURWAYS[colour_index]
        for language in LANGUAGES:
            page_title = f"{_text(title, language)} · {_text(colour, language)}"
            page_rows[language].append(
                (pages[language], product, page_title, f"<p>{_text(description, language)}</p>", translation_key,
                 published_at, [images[(motif, colour_index)], images[(motif, (colour_index + 1) % len(COLOURWAYS))]],
                 f"{slugify(_text(title, 'en'))}-{number + 1}")
            )
    new_page_ids = []
    for rows in page_rows.values():
        new_page_ids += _bulk_add_product_pages(rows)
    if index_for_admin:
        get_search_backend().add_bulk(ProductPage, list(ProductPage.objects.filter(pk__in=new_page_ids)))


def _bulk_add_product_pages(rows) -> list[int]:
    """Insert product pages under their seller pages without one save per page.

    Each row: (parent, product, title, description, translation key, published at, images, slug).
    """
    content_type = ContentType.objects.get_for_model(ProductPage)
    by_parent = {}
    for row in rows:
        by_parent.setdefault(row[0].pk, []).append(row)
    created_ids = []
    for parent_id, children in by_parent.items():
        parent = Page.objects.get(pk=parent_id)
        base_pages = []
        for offset, (_parent, _product, title, _desc, translation_key, published_at, _images, slug) in enumerate(children, 1):
            depth = parent.depth + 1
            base_pages.append(
                Page(
                    title=title, draft_title=title, slug=slug, content_type=content_type,
                    path=Page._get_path(parent.path, depth, parent.numchild + offset), depth=depth, numchild=0,
                    url_path=f"{parent.url_path}{slug}/", live=True, has_unpublished_changes=False,
                    first_published_at=published_at, last_published_at=published_at,
                    locale_id=parent.locale_id, translation_key=translation_key,
                )
            )
        Page.objects.bulk_create(base_pages)
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {ProductPage._meta.db_table} (page_ptr_id, product_id, description) VALUES (%s, %s, %s)",  # noqa: S608 (table name from the model)
                [(page.pk, row[1].pk, row[3]) for page, row in zip(base_pages, children, strict=True)],
            )
        ProductPageImage.objects.bulk_create(
            [
                ProductPageImage(page_id=page.pk, image=image, sort_order=position)
                for page, row in zip(base_pages, children, strict=True)
                for position, image in enumerate(row[6])
            ]
        )
        Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(children))
        created_ids += [page.pk for page in base_pages]
    return created_ids
