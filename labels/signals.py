"""What labels change on the public site: a scheme renamed, a certificate issued, suspended, revoked or
given to other products makes the cached catalogue pages stale (their badges)."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from catalog.cache import catalog_invalidate

from .models import LabelCertificate, LabelScheme


@receiver(post_save, sender=LabelScheme)
@receiver(post_delete, sender=LabelCertificate)
def label_records_changed(sender, **kwargs):
    transaction.on_commit(catalog_invalidate)


# What a certificate's badge and verify page show; a save touching none of these (a revocation
# request, which takes effect only when confirmed) leaves the cached pages as they are.
CERTIFICATE_PUBLIC_FIELDS = frozenset({"number", "scheme", "level", "status", "status_reason", "valid_from", "valid_until"})


@receiver(post_save, sender=LabelCertificate)
def label_certificate_saved(sender, instance, created, update_fields=None, **kwargs):
    """A certificate issued, suspended, reinstated, revoked or expired: its badges appear or go."""
    if created or update_fields is None or CERTIFICATE_PUBLIC_FIELDS.intersection(update_fields):
        transaction.on_commit(catalog_invalidate)


@receiver(m2m_changed, sender=LabelCertificate.products.through)
def label_certificate_products_changed(sender, action, **kwargs):
    """Products given or taken from a certificate (from either side of the relation) gain or lose its badge."""
    if action in ("post_add", "post_remove", "post_clear"):
        transaction.on_commit(catalog_invalidate)
