from celery import shared_task
from wagtail.models import Page

from .frontend_cache import products_frontend_cache_purge
from .models import ProductPageImage
from .selectors import DETAIL_IMAGE_SPECS, LISTING_IMAGE_SPECS
from .services import page_translations_ensure as page_translations_ensure_now
from .services import pending_listing_photos_expire


@shared_task(ignore_result=True)
def product_page_renditions_warm(page_id: int) -> int:
    """Make the listing and detail renditions of a product's images, so no visitor waits for them.

    Returns how many renditions exist for the page's images afterwards.
    """
    count = 0
    for gallery_image in ProductPageImage.objects.filter(page_id=page_id).select_related("image"):
        count += len(gallery_image.image.get_renditions(*LISTING_IMAGE_SPECS, *DETAIL_IMAGE_SPECS))
    return count


@shared_task(ignore_result=True)
def page_translations_ensure(page_id: int) -> int:
    """The other languages of a page created in one (aliases of it); returns how many were created."""
    page = Page.objects.filter(pk=page_id).first()
    return len(page_translations_ensure_now(page=page)) if page is not None else 0


@shared_task(ignore_result=True)
def pending_listing_photos_expire_task() -> int:
    """Daily (beat): delete the photos kept from listing forms nobody finished."""
    return pending_listing_photos_expire()


@shared_task(ignore_result=True)
def products_frontend_cache_purge_task(product_ids: list[int]) -> int:
    """After a sale or a product change: purge the CDN's copies of what shows the products."""
    return products_frontend_cache_purge(product_ids)
