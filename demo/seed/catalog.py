"""The demo's products and their pages in three languages, written with bulk inserts (the tree paths
computed here), so that a catalogue of 100,000 products takes minutes, not hours."""

import random
import uuid
from datetime import timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
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
from config.bulk_rows import ids_allocate, rows_insert
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
    product_ids = ids_allocate(Product, len(numbers))
    products, product_materials, page_plans = [], [], []
    for product_id, number in zip(product_ids, numbers, strict=True):
        seller, family, pages = verified[number % len(verified)]
        rng = random.Random(number)
        variant = number // len(verified)
        title, description, craft, material_slugs, hs_code, price_range, weight_range, dimensions, lead_time, motif = (
            PRODUCTS[family][variant % len(PRODUCTS[family])]
        )
        colour_index = (variant + number) % len(COLOURWAYS)
        made_to_order = lead_time is not None and rng.random() < 0.5
        products.append({
            "id": product_id,
            "seller_id": seller.pk,
            "price": Decimal(rng.randrange(price_range[0], price_range[1] + 1, 10)),
            "stock": 0 if made_to_order else rng.choice([0, 1, 2, 3, 5, 8, 12, 20, 40]),
            "made_to_order": made_to_order,
            "lead_time_days": lead_time if made_to_order else None,
            "min_order_quantity": 6 if family == "argan" else 1,
            "craft_id": trades[craft].pk,
            "origin_region_id": seller.region_id,
            "weight_grams": rng.randrange(weight_range[0], weight_range[1] + 1),
            "hs_code": hs_code,
            "length_cm": Decimal(dimensions[0]) if dimensions else None,
            "width_cm": Decimal(dimensions[1]) if dimensions else None,
            "height_cm": Decimal(dimensions[2]) if dimensions else None,
            "created_at": now,
            "updated_at": now,
        })
        product_materials += [{"product_id": product_id, "material_id": materials[slug].pk} for slug in material_slugs]
        published_at = now - timedelta(minutes=number * 7 % (60 * 24 * 120), seconds=number)
        translation_key = uuid.uuid4()
        colour = COLOURWAYS[colour_index]
        for language in LANGUAGES:
            page_plans.append({
                "parent_id": pages[language].pk,
                "product_id": product_id,
                "title": f"{_text(title, language)} · {_text(colour, language)}",
                "description": f"<p>{_text(description, language)}</p>",
                "translation_key": translation_key,
                "published_at": published_at,
                "images": [images[(motif, colour_index)], images[(motif, (colour_index + 1) % len(COLOURWAYS))]],
                "slug": f"{slugify(_text(title, 'en'))}-{number + 1}",
            })
    rows_insert(Product, products)
    material_ids = ids_allocate(Product.materials.through, len(product_materials))
    rows_insert(Product.materials.through,
                [{"id": row_id, **row} for row_id, row in zip(material_ids, product_materials, strict=True)])
    new_page_ids = _bulk_add_product_pages(page_plans)
    if index_for_admin:
        get_search_backend().add_bulk(ProductPage, list(ProductPage.objects.filter(pk__in=new_page_ids)))


def _bulk_add_product_pages(plans) -> list[int]:
    """Insert product pages under their seller pages without one save per page: the tree's paths are
    worked out here from each parent's path and number of children.

    Each plan: parent_id, product_id, title, description, translation_key, published_at, images, slug.
    """
    content_type = ContentType.objects.get_for_model(ProductPage)
    parents = Page.objects.in_bulk({plan["parent_id"] for plan in plans})
    page_ids = ids_allocate(Page, len(plans))
    children_added = dict.fromkeys(parents, 0)
    pages, product_pages, page_images = [], [], []
    image_ids = iter(ids_allocate(ProductPageImage, sum(len(plan["images"]) for plan in plans)))
    for page_id, plan in zip(page_ids, plans, strict=True):
        parent = parents[plan["parent_id"]]
        children_added[parent.pk] += 1
        depth = parent.depth + 1
        pages.append({
            "id": page_id, "title": plan["title"], "draft_title": plan["title"], "slug": plan["slug"],
            "content_type_id": content_type.pk, "path": Page._get_path(parent.path, depth, parent.numchild + children_added[parent.pk]),
            "depth": depth, "numchild": 0, "url_path": f"{parent.url_path}{plan['slug']}/", "live": True,
            "has_unpublished_changes": False, "first_published_at": plan["published_at"],
            "last_published_at": plan["published_at"], "locale_id": parent.locale_id,
            "translation_key": plan["translation_key"],
        })
        product_pages.append({"page_ptr_id": page_id, "product_id": plan["product_id"], "description": plan["description"]})
        page_images += [
            {"id": next(image_ids), "page_id": page_id, "image_id": image.pk, "sort_order": position}
            for position, image in enumerate(plan["images"])
        ]
    rows_insert(Page, pages)
    rows_insert(ProductPage, product_pages)
    rows_insert(ProductPageImage, page_images)
    for parent_id, added in children_added.items():
        Page.objects.filter(pk=parent_id).update(numchild=F("numchild") + added)
    return page_ids
