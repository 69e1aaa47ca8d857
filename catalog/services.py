"""The catalogue's side of a seller's life: its workspace, and its listings withdrawn and restored."""

import logging
import uuid
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.html import linebreaks
from django.utils.translation import gettext_lazy as _
from wagtail.actions.publish_page_revision import PublishPageRevisionAction
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.coreutils import find_available_slug
from wagtail.images import get_image_model
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)
from wagtail.signals import page_published

from sellers.documents import image_size_from_header
from sellers.models import Seller, SellerMember
from sellers.roles import CHAMBER_STAFF_GROUP, role_group

from .models import (
    CategoryIndexPage,
    PendingListingPhoto,
    Product,
    ProductPage,
    ProductPageImage,
    SellerIndexPage,
    SellerPage,
    WithdrawnPage,
    readable_slug,
)

logger = logging.getLogger(__name__)

SELLER_PAGE_PERMISSIONS = ("add_page", "change_page")
TRUSTED_SELLER_PAGE_PERMISSIONS = (*SELLER_PAGE_PERMISSIONS, "publish_page")
SELLER_COLLECTION_PERMISSIONS = [
    ("wagtailimages", f"{action}_image") for action in ("add", "change", "choose")
] + [("wagtaildocs", f"{action}_document") for action in ("add", "change", "choose")]


CHAMBER_REVIEW_WORKFLOW = "Checking by the chamber"
CHAMBER_REVIEW_TASK = "Checking by the chamber"


def chamber_review_workflow() -> Workflow:
    """The workflow untrusted sellers' pages go through: one approval by chamber staff. Idempotent."""
    workflow, created = Workflow.objects.get_or_create(name=CHAMBER_REVIEW_WORKFLOW)
    if created or not workflow.workflow_tasks.exists():
        task, _ = GroupApprovalTask.objects.get_or_create(name=CHAMBER_REVIEW_TASK)
        task.groups.add(role_group(CHAMBER_STAFF_GROUP))
        WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    return workflow


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _workspace_group_name(seller: Seller) -> str:
    return f"Seller {seller.pk}: {seller.legal_name}"[:150]


def seller_workspace_group(seller: Seller) -> Group:
    return Group.objects.get_or_create(name=_workspace_group_name(seller))[0]


def seller_workspace_trust_applied(seller: Seller) -> bool:
    """Whether the workspace's publish permission matches the seller's trust (one query)."""
    can_publish = GroupPagePermission.objects.filter(
        group__name=_workspace_group_name(seller), permission__codename="publish_page"
    ).exists()
    return can_publish == seller.trusted


@transaction.atomic
def seller_workspace_open(*, seller: Seller) -> dict[str, SellerPage]:
    """The seller's profile page in every language (published once the seller is verified; a draft
    where an informal artisan prepares its listings); a group whose page permissions cover only those
    pages' subtrees, and a collection for its images and documents. Listings of a seller staff have
    not marked trusted go through the chamber review workflow. Idempotent.
    """
    pages, translation_key = {}, None
    for index in SellerIndexPage.objects.select_related("locale").order_by("path"):
        page = SellerPage.objects.filter(seller=seller, locale=index.locale).first()
        if page is None:
            page = index.add_child(
                instance=SellerPage(
                    title=seller.legal_name, slug=seller.slug, seller=seller, locale=index.locale,
                    translation_key=translation_key or uuid.uuid4(), live=False,
                )
            )
            page.save_revision()
        # Published once, on verification; a page a suspension withdrew comes back by reinstatement only.
        # An alias (a language added since) is published with its source, never on its own.
        if (seller.status == Seller.Status.VERIFIED and not page.live and page.first_published_at is None
                and page.alias_of_id is None):
            revision = page.get_latest_revision() or page.save_revision()
            PublishPageRevisionAction(revision).execute(skip_permission_checks=True)
        translation_key = page.translation_key
        pages[index.locale.language_code] = page

    workflow = None if seller.trusted else chamber_review_workflow()
    for page in pages.values():
        if workflow is None:
            WorkflowPage.objects.filter(page=page).delete()
        else:
            WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})

    group = seller_workspace_group(seller)
    group.permissions.add(_permission("wagtailadmin", "access_admin"))
    codenames = TRUSTED_SELLER_PAGE_PERMISSIONS if seller.trusted else SELLER_PAGE_PERMISSIONS
    GroupPagePermission.objects.filter(group=group).exclude(
        page__in=list(pages.values()), permission__codename__in=codenames
    ).delete()
    for page in pages.values():
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(group=group, page=page, permission=_permission("wagtailcore", codename))
    collection = seller_collection(seller)
    for app_label, codename in SELLER_COLLECTION_PERMISSIONS:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=collection, permission=_permission(app_label, codename)
        )
    seller_collection_documents_restrict(collection=collection, group=group)
    for member in SellerMember.objects.filter(seller=seller).select_related("user"):
        member.user.groups.add(group)
    return pages


def seller_collection(seller: Seller) -> Collection:
    """The collection of the seller's images and documents (created if missing)."""
    root = Collection.get_first_root_node()
    name = f"{seller.legal_name} ({seller.pk})"
    return root.get_children().filter(name=name).first() or root.add_child(name=name)


def seller_collection_documents_restrict(*, collection: Collection, group: Group) -> CollectionViewRestriction:
    """Serve the documents of a seller's collection (``/documents/<id>/<name>``) only to its members'
    group and chamber staff, through Wagtail's collection privacy. Images are not concerned: their
    renditions are public. Idempotent."""
    restriction = CollectionViewRestriction.objects.filter(
        collection=collection, restriction_type=CollectionViewRestriction.GROUPS
    ).first() or CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.GROUPS
    )
    restriction.groups.add(group, role_group(CHAMBER_STAFF_GROUP))
    return restriction


def _seller_pages(seller: Seller):
    seller_pages = SellerPage.objects.filter(seller=seller)
    paths = list(seller_pages.values_list("path", flat=True))
    pages = Page.objects.none()
    for path in paths:
        pages = pages | Page.objects.filter(path__startswith=path)
    return pages


@transaction.atomic
def seller_listings_withdraw(*, seller: Seller, by=None) -> int:
    """Unpublish the seller's live pages (profile and products), remembering them; returns how many."""
    count = 0
    # Aliases are left out: Wagtail unpublishes them with their source and publishes them again with it.
    for page in _seller_pages(seller).live().filter(alias_of__isnull=True).specific():
        WithdrawnPage.objects.get_or_create(seller=seller, page=page)
        # The chamber's decision, not the staff member's page permissions, authorises this.
        UnpublishPageAction(page, user=by).execute(skip_permission_checks=True)
        count += 1
    return count


@transaction.atomic
def seller_listings_restore(*, seller: Seller, by=None) -> int:
    """Publish again what the seller's suspension withdrew; returns how many."""
    count = 0
    for withdrawn in WithdrawnPage.objects.filter(seller=seller).select_related("page"):
        page = withdrawn.page.specific
        revision = page.get_latest_revision() or page.save_revision(user=by)
        PublishPageRevisionAction(revision, user=by).execute(skip_permission_checks=True)
        withdrawn.delete()
        count += 1
    return count


# --- translations: every language has each listing, as an alias of its source until translated

# The page types kept in every language: what sellers create and the site's sections.
TRANSLATED_PAGE_TYPES = (CategoryIndexPage, SellerIndexPage, SellerPage, ProductPage)


def _locales_with_site_tree(page: Page) -> list[Locale]:
    """The other languages whose home page exists: a page is mirrored there, never into a language
    the site does not have yet (copying parents up to the root would make an unreachable tree)."""
    top = page if page.depth == 2 else page.get_ancestors().filter(depth=2).first()
    if top is None:
        return []
    languages = Page.objects.filter(translation_key=top.translation_key).values_list("locale_id", flat=True)
    return list(Locale.objects.filter(pk__in=languages).exclude(pk=page.locale_id))


def page_translations_ensure(*, page: Page) -> list[Page]:
    """Give ``page`` an alias in every language of the site that has no page of it yet, under the
    translation of its parent (aliased too where missing). An alias shows the source text, marked as
    not yet translated, is published and unpublished with its source, and becomes an ordinary page
    when someone translates it. Returns the aliases created; idempotent.
    """
    page = page.specific
    if page.alias_of_id is not None or not isinstance(page, TRANSLATED_PAGE_TYPES):
        return []
    created = []
    with transaction.atomic():
        for locale in _locales_with_site_tree(page):
            if Page.objects.filter(translation_key=page.translation_key, locale=locale).exists():
                continue
            created.append(page.copy_for_translation(locale, copy_parents=True, alias=True).specific)
    for alias in created:
        if alias.live:
            # What Wagtail sends when it publishes an alias with its source: caches and search follow.
            page_published.send(sender=alias.specific_class, instance=alias, revision=None, alias=True)
    return created


def page_translations_ensure_all() -> int:
    """Aliases for every page (of the kinds kept in every language) that lacks a language; returns
    how many were created. For a database filled before translations were kept in sync."""
    created = 0
    for page_type in TRANSLATED_PAGE_TYPES:
        for page_id in list(page_type.objects.filter(alias_of__isnull=True).order_by("path").values_list("pk", flat=True)):
            created += len(page_translations_ensure(page=page_type.objects.get(pk=page_id)))
    return created


def page_translation_aliases_delete(*, page: Page) -> int:
    """Delete the aliases standing for ``page`` in other languages: a source deleted must not leave its
    copies live as ordinary pages (Wagtail only unlinks them). Returns how many were deleted."""
    aliases = Page.objects.filter(alias_of=page, translation_key=page.translation_key).exclude(locale_id=page.locale_id)
    count = 0
    for alias in aliases:
        alias.delete()
        count += 1
    return count


def page_translation_aliases_move(*, page: Page) -> int:
    """Move the aliases of ``page`` under the translations of its new parent. Returns how many moved."""
    parent = page.get_parent()
    moved = 0
    for alias in Page.objects.filter(alias_of=page, translation_key=page.translation_key).exclude(locale_id=page.locale_id):
        target = parent.get_translation_or_none(alias.locale)
        if target is None or alias.get_parent().pk == target.pk:
            continue
        slug = find_available_slug(target, alias.slug)
        if slug != alias.slug:
            Page.objects.filter(pk=alias.pk).update(slug=slug)
            alias.slug = slug
        alias.move(target, pos="last-child")
        moved += 1
    return moved


def page_translation_prefill(*, page: Page, user=None) -> bool:
    """Pre-fill a page just converted from an alias with the machine translation of its text, as a draft
    for the translator to check (the live page keeps the source text until then). Does nothing when
    no provider is configured. Returns whether a draft was written; a provider failing is logged.
    """
    from .machine_translation import MachineTranslationError, machine_translation_backend

    backend = machine_translation_backend()
    if backend is None:
        return False
    page = page.specific
    source = Page.objects.filter(translation_key=page.translation_key, alias_of__isnull=True).exclude(pk=page.pk)
    source = source.select_related("locale").order_by("pk").first()
    source_language = source.locale.language_code if source else settings.LANGUAGE_CODE
    target_language = page.locale.language_code
    if source_language == target_language:
        return False
    fields = [name for name in TRANSLATED_TEXT_FIELDS if hasattr(page, name)]
    texts = [getattr(page, name) or "" for name in fields]
    images = list(page.gallery_images.all()) if hasattr(page, "gallery_images") else []
    for image in images:
        texts += [image.alt_text, image.caption]
    try:
        translated = backend.translate(texts, source=source_language, target=target_language)
    except MachineTranslationError:
        logger.warning("Machine translation of page %s failed; the translator starts from the source text.", page.pk)
        return False
    if len(translated) != len(texts):
        logger.warning("Machine translation of page %s returned %s texts for %s.", page.pk, len(translated), len(texts))
        return False
    draft = page.get_latest_revision_as_object()
    for name, text in zip(fields, translated, strict=False):
        setattr(draft, name, text)
    draft_images = list(draft.gallery_images.all())
    for position, image in enumerate(draft_images):
        offset = len(fields) + position * 2
        image.alt_text, image.caption = translated[offset][:250], translated[offset + 1][:200]
    draft.gallery_images = draft_images
    draft.draft_title = draft.title
    draft.save_revision(user=user, changed=True, clean=False)
    return True


# The text of a page that a translator writes (commercial data is shared on Product).
TRANSLATED_TEXT_FIELDS = ("title", "intro", "description", "story", "seo_title", "search_description")


# --- the quick listing form ------------------------------------------------------------------------


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
    weight_kg: Decimal, hs_code: str, photos=(), kept_photos=(),
) -> ProductPage:
    """List a product in one step: its shared record, its page under the seller's page in the seller's
    language, its photos in the seller's collection, then sent for the chamber's checking (published at
    once for a trusted seller). Nothing is saved unless all of it is.

    Raises PermissionDenied when ``user`` is not a member of the seller or may not add pages there,
    ValidationError for invalid data or a seller without a page.
    """
    saved_files = []
    try:
        with transaction.atomic():
            return _product_listing_create(
                seller=seller, user=user, title=title, description=description, price=price, stock=stock,
                craft=craft, weight_kg=weight_kg, hs_code=hs_code, photos=photos, kept_photos=kept_photos,
                saved_files=saved_files,
            )
    except Exception:
        # The rows are rolled back; the image files written meanwhile go too.
        for storage, name in saved_files:
            storage.delete(name)
        raise


def _product_listing_create(*, seller, user, title, description, price, stock, craft, weight_kg, hs_code, photos,
                            kept_photos, saved_files) -> ProductPage:
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

