from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import Signal, receiver
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from outbox.services import outbox_enqueue
from sellers.models import Seller, Trade
from sellers.signals import seller_member_joined, seller_member_left, seller_status_changed

from .cache import cache_tags_invalidate_on_commit, catalog_invalidate, product_tag
from .frontend_cache import frontend_cache_configured
from .models import CategoryIndexPage, EuResponsiblePersonSettings, Product, ProductPage, SellerIndexPage, SellerPage

# Sent with ``product_ids`` when orders take or give back stock through queryset updates, which
# send no post_save: listings must still show the new availability.
products_stock_changed = Signal()


@receiver(page_published, sender=ProductPage)
def product_page_published(sender, instance, **kwargs):
    outbox_enqueue("catalog.tasks.product_page_renditions_warm", instance.pk)


@receiver(page_published)
@receiver(page_unpublished)
@receiver(page_slug_changed)
@receiver(post_page_move)
@receiver(post_delete, sender=Page)
@receiver(post_save, sender=Seller)
@receiver(post_save, sender=Trade)
@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
@receiver(post_save, sender=EuResponsiblePersonSettings)
def catalog_changed(sender, **kwargs):
    """What visitors see may have changed: cached pages, routes and menus go stale."""
    transaction.on_commit(catalog_invalidate)


@receiver(post_save, sender=Product)
def product_saved(sender, instance, **kwargs):
    """Its pages and the listings showing it go stale; the rest of the site stays cached. (Listings
    whose documents change with it follow when the search index is updated: search.services.)"""
    _products_changed([instance.pk])


@receiver(products_stock_changed)
def products_stock_changed_in_pages(sender, product_ids, **kwargs):
    _products_changed(product_ids)


def _products_changed(product_ids) -> None:
    product_ids = sorted(set(product_ids))
    cache_tags_invalidate_on_commit({product_tag(product_id) for product_id in product_ids})
    if frontend_cache_configured():
        outbox_enqueue("catalog.tasks.products_frontend_cache_purge_task", product_ids)


@receiver(seller_status_changed)
def seller_status_changed_in_catalog(sender, seller, previous, by, **kwargs):
    # services import the models these signals watch: imported when a signal fires
    from .services import seller_listings_restore, seller_listings_withdraw, seller_workspace_open

    if seller.status == Seller.Status.VERIFIED and previous == Seller.Status.SUSPENDED:
        seller_listings_restore(seller=seller, by=by)
    elif seller.status in (Seller.Status.VERIFIED, Seller.Status.AWAITING_REGISTRATION):
        seller_workspace_open(seller=seller)
    elif seller.status == Seller.Status.SUSPENDED:
        seller_listings_withdraw(seller=seller, by=by)


@receiver(post_save, sender=Seller)
def seller_saved_in_catalog(sender, instance, created, update_fields=None, **kwargs):
    """Staff marking a verified seller trusted (or no longer) changes its workflow and publish permission."""
    # services import the models these signals watch: imported when a signal fires
    from .services import seller_workspace_open, seller_workspace_trust_applied

    if (
        not created
        and instance.status == Seller.Status.VERIFIED
        and SellerPage.objects.filter(seller=instance).exists()
        and not seller_workspace_trust_applied(instance)
    ):
        seller_workspace_open(seller=instance)


@receiver(seller_member_joined)
def seller_member_joined_workspace(sender, member, **kwargs):
    # services import the models these signals watch: imported when a signal fires
    from .services import seller_workspace_group

    if SellerPage.objects.filter(seller=member.seller).exists():
        member.user.groups.add(seller_workspace_group(member.seller))


@receiver(seller_member_left)
def seller_member_left_workspace(sender, member, **kwargs):
    # services import the models these signals watch: imported when a signal fires
    from .services import seller_workspace_group

    member.user.groups.remove(seller_workspace_group(member.seller))


@receiver(post_save, sender=CategoryIndexPage)
@receiver(post_save, sender=SellerIndexPage)
@receiver(post_save, sender=SellerPage)
@receiver(post_save, sender=ProductPage)
def page_created_in_one_language(sender, instance, created, raw=False, **kwargs):
    """A page created by any path (the editor, a service, a form) gets its other languages once its
    transaction commits, after the code that created it had the chance to write real translations."""
    if created and not raw and instance.alias_of_id is None:
        outbox_enqueue("catalog.tasks.page_translations_ensure", instance.pk)


@receiver(pre_delete, sender=Page)
def page_deleted_with_its_aliases(sender, instance, **kwargs):
    # services import the models these signals watch: imported when a signal fires
    from .services import page_translation_aliases_delete

    page_translation_aliases_delete(page=instance)


@receiver(post_page_move, sender=CategoryIndexPage)
@receiver(post_page_move, sender=SellerPage)
@receiver(post_page_move, sender=ProductPage)
def page_moved_with_its_aliases(sender, instance, parent_page_before=None, parent_page_after=None, **kwargs):
    # services import the models these signals watch: imported when a signal fires
    from .services import page_translation_aliases_move

    if parent_page_before is None or parent_page_after is None or parent_page_before.pk != parent_page_after.pk:
        page_translation_aliases_move(page=instance)
