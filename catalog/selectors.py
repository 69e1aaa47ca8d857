"""Reads of the catalog for pages and listings, each in a fixed number of queries."""

from django.db.models import Prefetch, QuerySet
from wagtail.images import get_image_model
from wagtail.models import Locale

from sellers.models import Seller, Trade

from .models import CategoryIndexPage, ProductPage, ProductPageImage, SellerPage

# Renditions shown in listings and on product pages; prefetched so a listing costs no query per card.
LISTING_IMAGE_SPECS = ("fill-320x240|format-webp", "fill-640x480|format-webp")
DETAIL_IMAGE_SPECS = ("max-800x800|format-webp", "max-1600x1600|format-webp", "fill-160x160|format-webp")


def _first_image_prefetch(specs) -> Prefetch:
    images = get_image_model().objects.prefetch_renditions(*specs)
    return Prefetch(
        "gallery_images",
        queryset=ProductPageImage.objects.order_by("sort_order").prefetch_related(Prefetch("image", queryset=images)),
    )


def trade_descendant_ids(trade: Trade) -> list[int]:
    """The trade and every trade below it (branches have activities; the tree is three levels deep)."""
    ids, frontier = [trade.pk], [trade.pk]
    while frontier:
        frontier = list(Trade.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        ids.extend(frontier)
    return ids


def product_pages_for_listing(*, locale: Locale, trade: Trade | None = None, seller: int | None = None) -> QuerySet:
    """Live product pages of a language, newest first, for cards in a listing.

    Only verified sellers' products are listed.
    """
    queryset = ProductPage.objects.live().filter(
        locale=locale, product__seller__status=Seller.Status.VERIFIED
    )
    if trade is not None:
        queryset = queryset.filter(product__craft_id__in=trade_descendant_ids(trade))
    if seller is not None:
        queryset = queryset.filter(product__seller_id=seller)
    return (
        queryset.select_related("product", "product__seller", "product__origin_region", "product__craft")
        .prefetch_related(_first_image_prefetch(LISTING_IMAGE_SPECS))
        .order_by("-first_published_at", "-pk")
    )


def product_pages_latest(*, locale: Locale, limit: int) -> list[ProductPage]:
    return list(product_pages_for_listing(locale=locale)[:limit])


def product_page_for_detail(page: ProductPage) -> ProductPage:
    """The page with its product, seller, materials and gallery renditions loaded."""
    return (
        ProductPage.objects.filter(pk=page.pk)
        .select_related("product", "product__seller", "product__origin_region", "product__craft")
        .prefetch_related(
            "product__materials",
            Prefetch(
                "gallery_images",
                queryset=ProductPageImage.objects.order_by("sort_order").prefetch_related(
                    Prefetch("image", queryset=get_image_model().objects.prefetch_renditions(*DETAIL_IMAGE_SPECS))
                ),
            ),
        )
        .get()
    )


def category_pages_for_menu(*, locale: Locale) -> list[CategoryIndexPage]:
    return list(
        CategoryIndexPage.objects.live()
        .filter(locale=locale)
        .select_related("image")
        .prefetch_related(Prefetch("image", queryset=get_image_model().objects.prefetch_renditions(*LISTING_IMAGE_SPECS)))
        .order_by("path")
    )


def seller_pages_for_listing(*, parent) -> QuerySet:
    return (
        SellerPage.objects.live()
        .child_of(parent)
        .filter(seller__status=Seller.Status.VERIFIED)
        .select_related("seller", "seller__region")
        .prefetch_related(Prefetch("cover_image", queryset=get_image_model().objects.prefetch_renditions(*LISTING_IMAGE_SPECS)))
        .order_by("title")
    )

