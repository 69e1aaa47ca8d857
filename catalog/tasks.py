from celery import shared_task

from .selectors import DETAIL_IMAGE_SPECS, LISTING_IMAGE_SPECS


@shared_task(ignore_result=True)
def product_page_renditions_warm(page_id: int) -> int:
    """Make the listing and detail renditions of a product's images, so no visitor waits for them.

    Returns how many renditions exist for the page's images afterwards.
    """
    from .models import ProductPageImage

    count = 0
    for gallery_image in ProductPageImage.objects.filter(page_id=page_id).select_related("image"):
        count += len(gallery_image.image.get_renditions(*LISTING_IMAGE_SPECS, *DETAIL_IMAGE_SPECS))
    return count
