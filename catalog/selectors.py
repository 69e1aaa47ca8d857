"""Reads of the catalog for pages and listings, each in a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from wagtail.images import get_image_model
from wagtail.images.models import Filter
from wagtail.models import Locale, Page, PageViewRestriction

from sellers.models import Seller, Trade

from .cache import cached
from .models import CategoryIndexPage, ProductPage, ProductPageImage, SellerPage, SellerPagePhoto

# Renditions used by the templates; fetched in one query per page view, never one per image.
LISTING_IMAGE_SPECS = ("fill-320x240|format-webp", "fill-640x480|format-webp")
DETAIL_IMAGE_SPECS = ("max-800x800|format-webp", "max-1600x1600|format-webp")
COVER_IMAGE_SPECS = ("max-800x500|format-webp", "max-1600x1000|format-webp")


def renditions_prefetch(images, specs) -> None:
    """Load the renditions of ``specs`` for all ``images`` in one query, where the templates will find them."""
    images = [image for image in images if image is not None]
    if not images:
        return
    rendition_model = get_image_model().get_rendition_model()
    by_image = defaultdict(list)
    for rendition in rendition_model.objects.filter(image_id__in={image.pk for image in images}, filter_spec__in=specs):
        by_image[rendition.image_id].append(rendition)
    for image in images:
        image.prefetched_renditions = by_image[image.pk]
        for rendition in image.prefetched_renditions:
            rendition.image = image  # the template reads the image back from its rendition


_FILTERS = {}


def image_renditions(image, specs) -> list:
    """The renditions of ``specs`` for ``image``, in order, made where missing.

    Wagtail's image tags parse their filter specs on every render; listings reuse parsed filters.
    """
    filters = [_FILTERS.setdefault(spec, Filter(spec=spec)) for spec in specs]
    found = image.find_existing_renditions(*filters)
    if len(found) < len(filters):
        made = image.get_renditions(*filters)
        return [made[image_filter.spec] for image_filter in filters]
    return [found[image_filter] for image_filter in filters]


def any_view_restriction() -> bool:
    return cached("any-view-restriction", PageViewRestriction.objects.exists)


def trade_descendant_ids(trade: Trade) -> list[int]:
    """The trade and every trade below it in its country's nomenclature."""

    def compute():
        children = defaultdict(list)
        for pk, parent_id in Trade.objects.filter(country=trade.country).values_list("pk", "parent_id"):
            children[parent_id].append(pk)
        ids, frontier = [], [trade.pk]
        while frontier:
            ids.extend(frontier)
            frontier = [child for pk in frontier for child in children[pk]]
        return ids

    return cached(f"trade-descendants:{trade.pk}", compute)


def _gallery_prefetch() -> Prefetch:
    return Prefetch("gallery_images", queryset=ProductPageImage.objects.order_by("sort_order").select_related("image"))


def product_pages_for_listing(*, locale: Locale, trade: Trade | None = None, seller: int | None = None) -> QuerySet:
    """Live product pages of a language, newest first, for cards in a listing.

    Only verified sellers' products are listed. Call ``product_cards`` on the page of results shown.
    """
    queryset = ProductPage.objects.live().filter(locale=locale, product__seller__status=Seller.Status.VERIFIED)
    if trade is not None:
        queryset = queryset.filter(product__craft_id__in=trade_descendant_ids(trade))
    if seller is not None:
        queryset = queryset.filter(product__seller_id=seller)
    return (
        queryset.select_related("product", "product__seller", "product__origin_region")
        .prefetch_related(_gallery_prefetch())
        .order_by("-first_published_at", "-pk")
    )


@dataclass(frozen=True)
class CardImage:
    """A listing image, its sources worked out once rather than by a template tag per card."""

    src: str
    srcset: str
    width: int
    height: int

    @classmethod
    def from_image(cls, image, specs=LISTING_IMAGE_SPECS) -> "CardImage | None":
        if image is None:
            return None
        renditions = image_renditions(image, specs)
        return cls(
            src=renditions[0].url,
            srcset=", ".join(f"{rendition.url} {rendition.width}w" for rendition in renditions),
            width=renditions[0].width,
            height=renditions[0].height,
        )


@dataclass(frozen=True)
class ProductCard:
    """What a listing shows of a product page."""

    page: ProductPage
    title: str
    url: str
    seller_name: str
    region_name: str
    price: Decimal
    made_to_order: bool
    lead_time_days: int | None
    in_stock: bool
    image: CardImage | None


def product_cards(pages, *, request=None, extra_images=(), extra_specs=()) -> list[ProductCard]:
    """Cards for the pages, their renditions (and those of ``extra_images``) loaded in one query."""
    pages = list(pages)
    renditions_prefetch([page.first_image for page in pages] + list(extra_images), LISTING_IMAGE_SPECS + tuple(extra_specs))
    cards = []
    for page in pages:
        product = page.product
        cards.append(
            ProductCard(
                page=page,
                title=page.title,
                url=page.get_url(request),
                seller_name=product.seller.legal_name,
                region_name=product.origin_region.localized_name,
                price=product.price,
                made_to_order=product.made_to_order,
                lead_time_days=product.lead_time_days,
                in_stock=product.in_stock,
                image=CardImage.from_image(page.first_image),
            )
        )
    return cards


def home_page_content(*, locale: Locale, product_count: int, request=None) -> dict:
    categories = list(CategoryIndexPage.objects.live().filter(locale=locale).select_related("image").order_by("path"))
    products = product_cards(
        product_pages_for_listing(locale=locale)[:product_count],
        request=request,
        extra_images=[category.image for category in categories],
    )
    for category in categories:
        category.card_image = CardImage.from_image(category.image)
    return {"categories": categories, "products": products}


def seller_page_photos(page: SellerPage) -> list[SellerPagePhoto]:
    return list(page.photos.select_related("image").order_by("sort_order"))


def served_product_pages() -> QuerySet:
    """Product pages with everything their detail view shows, for the page router."""
    return ProductPage.objects.select_related(
        "locale", "product", "product__seller", "product__origin_region", "product__craft"
    ).prefetch_related("product__materials", _gallery_prefetch())


def seller_pages_for_listing(*, parent) -> QuerySet:
    return (
        SellerPage.objects.live()
        .child_of(parent)
        .filter(seller__status=Seller.Status.VERIFIED)
        .select_related("seller", "seller__region", "cover_image")
        .order_by("title")
    )


def main_menu_items(*, language: str) -> list[dict]:
    """The category pages and the seller index of a language, in tree order."""
    from .models import SellerIndexPage

    def compute():
        pages = (
            Page.objects.live()
            .filter(locale__language_code=language, depth=3)
            .type(CategoryIndexPage, SellerIndexPage)
            .order_by("path")
        )
        return [{"pk": page.pk, "title": page.title, "url": page.url} for page in pages]

    return cached(f"menu:{language}", compute)
