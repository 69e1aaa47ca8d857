"""Reads of the catalog for pages and listings, each in a fixed number of queries."""

import re
import time
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import quote

from django.conf import settings
from django.core.cache import cache
from django.db.models import F, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from wagtail import urls as wagtail_urls
from wagtail.images import get_image_model
from wagtail.images.models import Filter
from wagtail.models import Locale, Page, PageViewRestriction, WorkflowState
from wagtail.permission_policies.pages import PagePermissionPolicy

from sellers.models import Seller, SellerMember, localized_name, seller_display_name

from .badges import product_badges
from .cache import LISTINGS_TAG, cache_tag, cache_tag_stamps, cached, catalog_generation, product_tag
from .models import (
    CategoryIndexPage,
    CraftHsSuggestion,
    PendingListingPhoto,
    Product,
    ProductPage,
    ProductPageImage,
    SellerIndexPage,
    SellerPage,
    SellerPagePhoto,
    product_in_stock,
)
from .offers import platform_responsible_person, products_safety_missing

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


def _gallery_prefetch() -> Prefetch:
    return Prefetch("gallery_images", queryset=ProductPageImage.objects.order_by("sort_order").select_related("image"))


def product_pages_for_listing(*, locale: Locale, seller: int | None = None) -> QuerySet:
    """Live product pages of a language, newest first; only verified sellers' products are listed.

    Turn the page of results shown into cards with ``product_cards``.
    """
    queryset = ProductPage.objects.live().filter(locale=locale, product__seller__status=Seller.Status.VERIFIED)
    if seller is not None:
        queryset = queryset.filter(product__seller_id=seller)
    return queryset.order_by("-first_published_at", "-pk")


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

    page_id: int
    product_id: int
    language: str
    title: str
    url: str
    seller_name: str
    region_name: str
    price: Decimal
    made_to_order: bool
    lead_time_days: int | None
    in_stock: bool
    image: CardImage | None
    labels: tuple = ()  # badges, from catalog.badges


_CARD_FIELDS = (
    "pk", "title", "url_path", "locale__language_code", "product_id", "product__price", "product__stock",
    "product__made_to_order", "product__lead_time_days", "product__min_order_quantity",
    "product__seller__legal_name", "product__seller__name_alternate", "product__origin_region__name", "product__origin_region__name_fr",
    "product__origin_region__name_ar",
)
_CARD_IMAGE_FIELDS = ("page_id", "image_id", "image__collection_id", "image__file", "image__width", "image__height", "image__focal_point_x",
                      "image__focal_point_y", "image__focal_point_width", "image__focal_point_height")


def _first_images(page_ids) -> dict:
    """Each page's first gallery image, built from one query of the few fields a rendition lookup reads."""
    image_model = get_image_model()
    first = {}
    rows = ProductPageImage.objects.filter(page_id__in=page_ids).order_by("page_id", "sort_order", "pk")
    for row in rows.values(*_CARD_IMAGE_FIELDS):
        if row["page_id"] not in first:
            first[row["page_id"]] = image_model(
                id=row["image_id"], collection_id=row["image__collection_id"], file=row["image__file"], width=row["image__width"], height=row["image__height"],
                focal_point_x=row["image__focal_point_x"], focal_point_y=row["image__focal_point_y"],
                focal_point_width=row["image__focal_point_width"], focal_point_height=row["image__focal_point_height"],
            )
    return first


# The paths Wagtail's page view takes (its serve_pattern, without the anchors).
SERVED_PATH = re.compile(wagtail_urls.serve_pattern.removeprefix("^").removesuffix("$"))


class PageUrls:
    """Page addresses from their ``url_path``, the same as ``Page.get_url`` gives, with Wagtail's URL
    reversal done once per site root instead of once per page (a listing of 24 cards spent 4 ms on it).
    Call with a ``url_path``; None for a page outside every site, as ``get_url``."""

    # What Django's reverse() leaves unquoted in a path (RFC 3986 sub-delimiters, "/~:@").
    SAFE = "!$&'()*+,;=/~:@"

    def __init__(self, request=None):
        self.request = request
        self.site_root_paths = Page()._get_site_root_paths(request)
        self.root_urls = {}

    def __call__(self, url_path: str) -> str | None:
        if not getattr(settings, "WAGTAIL_APPEND_SLASH", True):  # the root keeps its slash, pages lose theirs
            return Page(url_path=url_path).get_url(self.request)
        root_path = next((root.root_path for root in self.site_root_paths if url_path.startswith(root.root_path)), None)
        if root_path is None:
            return None
        if root_path not in self.root_urls:
            self.root_urls[root_path] = Page(url_path=root_path).get_url(self.request)
        root_url, path = self.root_urls[root_path], url_path[len(root_path):]
        if root_url is None or not SERVED_PATH.fullmatch(path):  # get_url: no URL pattern takes it
            return None
        return root_url + quote(path, safe=self.SAFE)


def product_cards(pages: QuerySet, *, request=None) -> list[ProductCard]:
    """Cards for a (possibly sliced) queryset of product pages, in its order, in four queries.

    Listings read plain values rather than whole pages: a card needs a dozen fields, not the ~80
    columns of a page with its product, seller and region; the first images, their renditions and
    the quality labels of all the cards in one query each. Listings call ``product_cards_by_id``,
    which keeps the cards in the cache.
    """
    rows = list(pages.values(*_CARD_FIELDS))
    cache_tag(LISTINGS_TAG, *(product_tag(row["product_id"]) for row in rows))
    images = _first_images([row["pk"] for row in rows])
    labels = product_badges(product_ids=[row["product_id"] for row in rows])
    renditions_prefetch(list(images.values()), LISTING_IMAGE_SPECS)
    page_url = PageUrls(request)
    return [
        ProductCard(
            page_id=row["pk"],
            product_id=row["product_id"],
            language=row["locale__language_code"],
            title=row["title"],
            url=page_url(row["url_path"]),
            seller_name=seller_display_name(row["product__seller__legal_name"], row["product__seller__name_alternate"]),
            region_name=localized_name(
                row["product__origin_region__name"], row["product__origin_region__name_fr"], row["product__origin_region__name_ar"]
            ),
            price=row["product__price"],
            made_to_order=row["product__made_to_order"],
            lead_time_days=row["product__lead_time_days"],
            in_stock=product_in_stock(
                made_to_order=row["product__made_to_order"], stock=row["product__stock"],
                min_order_quantity=row["product__min_order_quantity"],
            ),
            image=CardImage.from_image(images.get(row["pk"])),
            labels=labels.get(row["product_id"], ()),
        )
        for row in rows
    ]


# Cards are kept at most this long: what no tag or generation follows (a region's name) is fresh within it.
CARD_CACHE_SECONDS = 3600


def product_cards_by_id(page_ids, *, pages: QuerySet, request=None) -> list[ProductCard]:
    """The cards of these product pages, in this order, leaving out those ``pages`` does not hold.

    Each card is kept in the cache, keyed by the catalogue's generation (a page published, a seller
    saved), the language, the host and the day (a label past its validity), and holds the stamp its
    product's tag had: a product saved or its stock changed, and its card is made again. A card
    made while its product changed is not kept. In a listing of 24 cards, this spares four queries
    and the building of the cards (about 10 ms) whenever they were made before.
    """
    page_ids = list(page_ids)
    if not page_ids:
        return []
    host = request.get_host() if request is not None else ""
    prefix = f"card:{catalog_generation()}:{get_language()}:{host}:{timezone.localdate().isoformat()}:"
    held = cache.get_many([f"{prefix}{pk}" for pk in page_ids]).values()
    stamps = cache_tag_stamps(product_tag(card.product_id) for card, _stamp in held)
    cards = {card.page_id: card for card, stamp in held if stamps[product_tag(card.product_id)] == stamp}
    missing = [pk for pk in page_ids if pk not in cards]
    if missing:
        started = time.time_ns()
        made = product_cards(pages.filter(pk__in=missing), request=request)
        stamps = cache_tag_stamps(product_tag(card.product_id) for card in made)
        cache.set_many({f"{prefix}{card.page_id}": (card, stamps[product_tag(card.product_id)]) for card in made
                        if stamps[product_tag(card.product_id)] < started}, CARD_CACHE_SECONDS)
        cards.update((card.page_id, card) for card in made)
    cache_tag(LISTINGS_TAG, *(product_tag(card.product_id) for card in cards.values()))
    return [cards[pk] for pk in page_ids if pk in cards]


def home_page_content(*, locale: Locale, product_count: int, request=None) -> dict:
    categories = list(CategoryIndexPage.objects.live().filter(locale=locale).select_related("image").order_by("path"))
    listed = product_pages_for_listing(locale=locale)
    products = product_cards_by_id(listed.values_list("pk", flat=True)[:product_count], pages=listed, request=request)
    renditions_prefetch([category.image for category in categories], LISTING_IMAGE_SPECS)
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


def product_eu_responsible_person(product) -> str:
    """Who answers for the product in the EU, as shown on its page: its seller's responsible person,
    else the platform's when the chamber acts as one, else nothing."""
    if product.seller.eu_responsible_person.strip():
        return product.seller.eu_responsible_person.strip()
    platform = platform_responsible_person()
    return platform.as_text if platform is not None else ""


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

    def compute():
        pages = (
            Page.objects.live()
            .filter(locale__language_code=language, depth=3)
            .type(CategoryIndexPage, SellerIndexPage)
            .order_by("path")
        )
        return [{"pk": page.pk, "title": page.title, "url": page.url} for page in pages]

    return cached(f"menu:{language}", compute)


@dataclass(frozen=True)
class SafetyGap:
    """A product that cannot be offered to the EU yet, and what it lacks."""

    title: str
    page_id: int
    missing: list[str]


@dataclass(frozen=True)
class SellerWorkspaceSummary:
    seller: Seller
    seller_page_id: int | None
    live: int
    drafts: int
    in_review: int
    safety_gaps: tuple[SafetyGap, ...] = ()


def seller_workspace_summaries(*, user) -> list[SellerWorkspaceSummary]:
    """For each seller the user belongs to: its listings live, in draft and awaiting the chamber's review."""
    sellers = [member.seller for member in SellerMember.objects.filter(user=user).select_related("seller")]
    if not sellers:
        return []
    # Counted per product, not per page: each product has a page in every language. (Counting pages
    # with values().annotate() also grouped by Wagtail's default ordering, the path: one row per page.)
    rows = list(ProductPage.objects.filter(product__seller__in=sellers).order_by().values_list(
        "pk", "product_id", "product__seller_id", "live"))
    in_review_pages = set(
        WorkflowState.objects.filter(
            status=WorkflowState.STATUS_IN_PROGRESS, object_id__in=[str(row[0]) for row in rows]
        ).values_list("object_id", flat=True)
    )
    products, live, in_review = defaultdict(set), defaultdict(set), defaultdict(set)
    for page_id, product_id, seller_id, is_live in rows:
        products[seller_id].add(product_id)
        if is_live:
            live[seller_id].add(product_id)
        if str(page_id) in in_review_pages:
            in_review[seller_id].add(product_id)
    pages = dict(SellerPage.objects.filter(seller__in=sellers, locale__language_code="en").values_list("seller_id", "pk"))
    gaps = _safety_gaps(sellers)
    return [
        SellerWorkspaceSummary(
            seller=seller, seller_page_id=pages.get(seller.pk),
            live=len(live[seller.pk]),
            # Neither live nor being checked: a product sent for checking is counted there only.
            drafts=len(products[seller.pk] - live[seller.pk] - in_review[seller.pk]),
            in_review=len(in_review[seller.pk]),
            safety_gaps=tuple(gaps[seller.pk]),
        )
        for seller in sellers
    ]


def _safety_gaps(sellers) -> dict[int, list[SafetyGap]]:
    """Per seller, its products that miss what an EU offer needs, each named by its page in the seller's
    language (else any of its pages)."""
    products = list(Product.objects.filter(seller__in=sellers).select_related("seller").order_by("pk"))
    missing = products_safety_missing(products)
    language_of = {product.pk: product.seller.language for product in products}
    pages = {}
    for page in ProductPage.objects.filter(product__in=[product for product in products if missing[product.pk]]).select_related(
            "locale").order_by("pk").only("pk", "title", "product_id", "locale__language_code"):
        chosen = pages.get(page.product_id)
        seller_language = language_of[page.product_id]
        if chosen is None or (page.locale.language_code == seller_language and chosen.locale.language_code != seller_language):
            pages[page.product_id] = page
    gaps = defaultdict(list)
    for product in products:
        page = pages.get(product.pk)
        if missing[product.pk] and page is not None:
            gaps[product.seller_id].append(SafetyGap(title=page.title, page_id=page.pk, missing=missing[product.pk]))
    return gaps


def page_untranslated_source_language(page: Page) -> str | None:
    """The language of the text an untranslated page shows (an alias of its page in another
    language), or None when the page is written in its own language."""
    if not page.alias_of_id:
        return None
    source = Page.objects.filter(pk=page.alias_of_id).values_list("locale__language_code", "translation_key").first()
    if source is None or source[1] != page.translation_key or source[0] == page.locale.language_code:
        return None
    return source[0]


def pages_to_translate(*, user, language: str | None = None) -> QuerySet:
    """The pages still showing another language's text (aliases of their translation) that ``user``
    may edit: a seller's own pages, all of them for chamber staff; in one language if given."""
    editable = PagePermissionPolicy().instances_user_has_permission_for(user, "change")
    pages = editable.filter(alias_of__isnull=False, alias_of__translation_key=F("translation_key")).exclude(
        alias_of__locale=F("locale")
    )
    if language:
        pages = pages.filter(locale__language_code=language)
    return pages.select_related("locale", "alias_of__locale").order_by("locale__language_code", "path")


def craft_hs_suggestions(*, crafts) -> dict[int, str]:
    """The HS code suggested for each of ``crafts`` that has one, by craft id."""
    return dict(CraftHsSuggestion.objects.filter(craft__in=crafts).values_list("craft_id", "hs_code"))


def pending_listing_photos(*, seller, user) -> QuerySet[PendingListingPhoto]:
    """The photos this user sent for this seller with a listing form that had an error (nobody else's)."""
    return PendingListingPhoto.objects.filter(seller=seller, uploaded_by=user)
