"""What changes a listing queues its pages for the index: publication, moves, deletion, the product
(price, stock, materials), its seller (suspension, name, kind) and its certificates. And an edited
synonym set makes cached results stale."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished, post_page_move

from catalog.cache import catalog_invalidate
from catalog.models import Product, ProductPage
from catalog.signals import products_stock_changed
from labels.models import LabelCertificate
from labels.signals import CERTIFICATE_PUBLIC_FIELDS
from sellers.models import Seller

from .documents import listing_page_ids_of
from .models import SynonymSet
from .services import listing_index_queue


@receiver(page_published, sender=ProductPage)
@receiver(page_unpublished, sender=ProductPage)
@receiver(post_page_move, sender=ProductPage)
@receiver(post_delete, sender=ProductPage)
def product_page_changed(sender, instance, **kwargs):
    listing_index_queue([instance.pk])


@receiver(post_save, sender=Product)
def product_changed(sender, instance, created, **kwargs):
    if not created:
        listing_index_queue(listing_page_ids_of(product_ids=[instance.pk]))


@receiver(products_stock_changed)
def products_stock_changed_by_orders(sender, product_ids, **kwargs):
    listing_index_queue(listing_page_ids_of(product_ids=product_ids))


@receiver(m2m_changed, sender=Product.materials.through)
def product_materials_changed(sender, instance, action, pk_set, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        product_ids = [instance.pk] if isinstance(instance, Product) else list(pk_set or ())
        listing_index_queue(listing_page_ids_of(product_ids=product_ids))


@receiver(post_save, sender=Seller)
def seller_changed(sender, instance, created, **kwargs):
    if not created:
        listing_index_queue(listing_page_ids_of(seller_ids=[instance.pk]))


@receiver(post_save, sender=LabelCertificate)
def certificate_changed(sender, instance, created, update_fields=None, **kwargs):
    if created or update_fields is None or CERTIFICATE_PUBLIC_FIELDS.intersection(update_fields):
        listing_index_queue(listing_page_ids_of(product_ids=list(instance.products.values_list("pk", flat=True))))


@receiver(m2m_changed, sender=LabelCertificate.products.through)
def certificate_products_changed(sender, instance, action, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if isinstance(instance, LabelCertificate):
        product_ids = list(pk_set or ()) or list(instance.products.values_list("pk", flat=True))
    else:
        product_ids = [instance.pk]
    listing_index_queue(listing_page_ids_of(product_ids=product_ids))


@receiver(post_save, sender=SynonymSet)
@receiver(post_delete, sender=SynonymSet)
def synonyms_changed(sender, instance, **kwargs):
    # Synonyms and the result pages cached from them belong to the catalogue's generation.
    catalog_invalidate()
