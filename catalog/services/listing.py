"""Listing a product in a few steps: the product, its page and photos in one call, and the photos kept
aside after a form error."""

import logging
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.html import linebreaks
from django.utils.translation import gettext_lazy as _
from wagtail.actions.publish_page_revision import PublishPageRevisionAction
from wagtail.coreutils import find_available_slug
from wagtail.images import get_image_model
from wagtail.models import (
    Page,
)

from sellers.documents import image_size_from_header
from sellers.models import Seller, SellerMember

from ..models import (
    PendingListingPhoto,
    Product,
    ProductPage,
    ProductPageImage,
    SellerPage,
    readable_slug,
)
from .workspace import seller_collection

logger = logging.getLogger(__name__)

# The product-safety answers a quick listing may carry: the shared product's, then its page's (words).
PRODUCT_SAFETY_FIELDS = ("product_identifier", "fibre_composition", "no_safety_warnings")
PAGE_SAFETY_FIELDS = ("safety_warnings", "care_instructions")


def listing_slug(*, title: str, parent: Page) -> str:
    """A readable ASCII slug from the title (any script transliterated), unique under ``parent``."""
    return find_available_slug(parent, readable_slug(title)[:70].strip("-") or "product")


def _listing_seller_page(seller: Seller, user) -> SellerPage:
    """The seller's page in the seller's own language, else in the admin language of the member, else in
    the site's default one."""
    pages = {page.locale.language_code: page for page in SellerPage.objects.filter(seller=seller).select_related("locale")}
    profile = getattr(user, "wagtail_userprofile", None)
    languages = [seller.language, getattr(profile, "preferred_language", ""), settings.LANGUAGE_CODE]
    page = next((pages[language] for language in languages if language in pages), None) or next(iter(pages.values()), None)
    if page is None:
        raise ValidationError(_("Your cooperative has no page yet: the chamber creates it when it verifies you."))
    return page


def pending_listing_photos_keep(*, seller: Seller, user, photos) -> list[PendingListingPhoto]:
    """Keep the photos of a listing form that had an error, out of public reach, for the next try."""
    kept = []
    for photo in photos:
        photo.seek(0)
        pending = PendingListingPhoto(seller=seller, uploaded_by=user, original_name=photo.name[:255])
        pending.file.save(photo.name, photo, save=True)
        kept.append(pending)
    return kept


def pending_listing_photos_expire(*, now=None) -> int:
    """Delete the kept photos of listing forms nobody finished within PENDING_LISTING_PHOTOS_KEPT_DAYS;
    returns how many."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.PENDING_LISTING_PHOTOS_KEPT_DAYS)
    with transaction.atomic():
        stale = list(PendingListingPhoto.objects.filter(uploaded_at__lt=cutoff))
        _pending_photos_delete(stale)
    return len(stale)


def _pending_photos_delete(photos: list[PendingListingPhoto]) -> None:
    names = [(photo.file.storage, photo.file.name) for photo in photos]
    PendingListingPhoto.objects.filter(pk__in=[photo.pk for photo in photos]).delete()
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in names])


def product_listing_create(
    *, seller: Seller, user, title: str, description: str = "", price: Decimal, stock: int, craft,
    weight_kg: Decimal, hs_code: str, photos=(), kept_photos=(), safety: dict | None = None,
) -> ProductPage:
    """List a product in one step: its shared record, its page under the seller's page in the seller's
    language, its photos in the seller's collection, then sent for the chamber's checking (published at
    once for a trusted seller). Nothing is saved unless all of it is. ``safety`` holds the optional
    product-safety answers (``PRODUCT_SAFETY_FIELDS`` and ``PAGE_SAFETY_FIELDS``).

    Raises PermissionDenied when ``user`` is not a member of the seller or may not add pages there,
    ValidationError for invalid data or a seller without a page.
    """
    saved_files = []
    try:
        with transaction.atomic():
            return _product_listing_create(
                seller=seller, user=user, title=title, description=description, price=price, stock=stock,
                craft=craft, weight_kg=weight_kg, hs_code=hs_code, photos=photos, kept_photos=kept_photos,
                safety=safety or {}, saved_files=saved_files,
            )
    except Exception:
        # The rows are rolled back; the image files written meanwhile go too.
        for storage, name in saved_files:
            storage.delete(name)
        raise


def _product_listing_create(*, seller, user, title, description, price, stock, craft, weight_kg, hs_code, photos,
                            kept_photos, safety, saved_files) -> ProductPage:
    if not SellerMember.objects.filter(seller=seller, user=user).exists():
        raise PermissionDenied(_("Only the seller's own members list its products."))
    parent = _listing_seller_page(seller, user)
    if not parent.permissions_for_user(user).can_add_subpage():
        raise PermissionDenied(_("You cannot add products to this page."))
    photos, kept_photos = list(photos), list(kept_photos)
    if not photos and not kept_photos:
        raise ValidationError({"photos": _("Add at least one photo.")})
    product = Product(
        seller=seller, price=price, stock=stock, craft=craft, origin_region=seller.region,
        weight_grams=int((Decimal(weight_kg) * 1000).to_integral_value(ROUND_HALF_UP)), hs_code=hs_code,
        **{name: safety[name] for name in PRODUCT_SAFETY_FIELDS if name in safety},
    )
    product.full_clean()
    product.save()

    image_model = get_image_model()
    collection = seller_collection(seller)
    images = []
    for kept in kept_photos:
        kept.file.open("rb")
    for position, (name, file) in enumerate([(photo.name, photo) for photo in photos]
                                            + [(kept.original_name, kept.file) for kept in kept_photos]):
        # Read from the header with Pillow, which opens HEIC too (pillow_heif, registered at start-up).
        width, height = image_size_from_header(file, max_pixels=settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS)
        image = image_model(
            title=f"{title} {position + 1}"[:255], collection=collection, uploaded_by_user=user, width=width, height=height
        )
        image.file.save(name, File(file, name=name), save=False)
        saved_files.append((image.file.storage, image.file.name))
        image._set_image_file_metadata()
        image.full_clean(exclude=["file"])
        image.save()
        images.append(image)

    page = ProductPage(
        title=title, slug=listing_slug(title=title, parent=parent), product=product, owner=user, live=False,
        description=linebreaks(description, autoescape=True) if description else "", locale=parent.locale,
        **{name: safety[name] for name in PAGE_SAFETY_FIELDS if name in safety},
    )
    page.gallery_images = [ProductPageImage(image=image, sort_order=index) for index, image in enumerate(images)]
    parent.add_child(instance=page)
    revision = page.save_revision(user=user, log_action=True)
    workflow = page.get_workflow()
    if page.permissions_for_user(user).can_publish() or workflow is None:
        PublishPageRevisionAction(revision, user=user).execute()  # a trusted seller's listing
    else:
        workflow.start(page, user)
    _pending_photos_delete(kept_photos)
    page.refresh_from_db()
    return page
