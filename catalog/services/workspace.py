"""A seller's workspace in the catalogue: its pages in every language, its group and collection with
their permissions, the chamber's review workflow, and its listings withdrawn and restored with its status."""

import logging
import uuid

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.actions.publish_page_revision import PublishPageRevisionAction
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from sellers.models import Seller, SellerMember
from sellers.roles import CHAMBER_STAFF_GROUP, role_group

from ..models import (
    SellerIndexPage,
    SellerPage,
    WithdrawnPage,
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
