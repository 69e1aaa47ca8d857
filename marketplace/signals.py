from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished

from catalog.models import Product

from .page_cache import page_cache_invalidate


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_delete, sender=Page)
@receiver(post_save, sender=Product)
def public_content_changed(sender, **kwargs):
    """Published content or a price or stock changed: cached pages may show it, so they go stale."""
    transaction.on_commit(page_cache_invalidate)
