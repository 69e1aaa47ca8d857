"""What of the admin's pages, images and documents a user may see, and the guard where Wagtail shows more.

Wagtail scopes its listings and its image and document choosers by collection permission, and edit
views by page permission, but several of its views name objects outside a seller's workspace:

- the page explorer, the page chooser and every page view taking a page id (move, move-confirm, copy,
  revisions, workflow previews) open any page below the user's "explorable root"; a seller's pages in
  three languages share the tree's root as their common ancestor, so that is every seller's page,
  drafts included;
- the admin API lists every image and document (`/admin/api/main/images/`, `.../documents/`);
- bulk actions list the titles of the objects they refuse;
- the page types report names each type's last edited page, whoever's it is;
- the seller chooser answers any admin user with a seller's name.

Here a page is visible if Wagtail's own permission policy counts it explorable (the user's pages, their
ancestors and descendants), an image or document if the user may choose, change or delete it (its
collection permissions). The page chooser and the admin API are narrowed by Wagtail's hooks
(``sellers/wagtail_hooks.py``); the middleware refuses only the views Wagtail gives no hook for.
"""

from django.apps import apps
from django.core.exceptions import BadRequest, PermissionDenied
from django.db.models import QuerySet
from wagtail.documents import get_document_model
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.images import get_image_model
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.permissions import policy_registry

from .permissions import seller_permission_policy

# Page views that take page ids: every one of them must name pages the user may see.
PAGE_VIEW_PREFIXES = ("wagtailadmin_pages:", "wagtailadmin_explore", "wagtailadmin_choose_page")
PAGE_ID_PARAMETERS = ("page_id", "parent_page_id", "page_to_move_id", "destination_id", "pk")
SELLER_CHOOSER_NAMESPACE = "wagtailsnippetchoosers_sellers_seller:"
BULK_ACTION_VIEW = "wagtail_bulk_action"
# Describes the pages named by ``?id=``, whoever's they are (Wagtail applies no chooser hook there).
PAGES_CHOSEN_VIEW = "wagtailadmin_choose_page_chosen_multiple"
# Reports summarising every seller's pages; they are for those who see the whole tree.
WHOLE_TREE_REPORTS = {"wagtailadmin_reports:page_types_usage", "wagtailadmin_reports:page_types_usage_results"}
COLLECTION_ACTIONS = ("choose", "change", "delete")


def pages_visible_to(user) -> QuerySet:
    """The pages the admin may show ``user``: those its page permissions make explorable."""
    return PagePermissionPolicy().explorable_instances(user)


def user_sees_whole_tree(user) -> bool:
    """Whether ``user``'s page permissions start at the tree's root (chamber staff, superusers)."""
    return any(page.depth == 1 for page in PagePermissionPolicy().instances_with_direct_explore_permission(user))


def collection_objects_visible_to(user, model) -> QuerySet:
    """The images or documents the admin may show ``user``: those it may choose, change or delete."""
    return policy_registry.get_by_type(model).instances_user_has_any_permission_for(user, COLLECTION_ACTIONS)


def images_visible_to(user) -> QuerySet:
    return collection_objects_visible_to(user, get_image_model())


def documents_visible_to(user) -> QuerySet:
    return collection_objects_visible_to(user, get_document_model())


def _pages_within_direct_permissions(user, page_id) -> bool:
    """Whether the page is one the user has direct permissions on, or below one (not just an ancestor)."""
    page = Page.objects.filter(pk=page_id).only("path").first()
    if page is None:
        return False
    return any(page.path.startswith(root.path) for root in PagePermissionPolicy().instances_with_direct_explore_permission(user))


def _bulk_action_allowed(request, view_kwargs) -> bool:
    """A bulk action lists its objects' titles, even those it refuses: each must be visible to the user."""
    try:
        model = apps.get_model(view_kwargs["app_label"], view_kwargs["model_name"])
    except (LookupError, KeyError):
        return True  # Wagtail answers 404 itself
    ids = request.GET.getlist("id")
    user = request.user
    if issubclass(model, Page):
        if "all" in ids:
            # "All in the listing": the parent's children, or its descendants when searching.
            parent = request.GET.get("childOf", "")
            return user_sees_whole_tree(user) or (parent.isdigit() and _pages_within_direct_permissions(user, parent))
        visible = pages_visible_to(user)
    elif issubclass(model, (get_image_model(), get_document_model())):
        if "all" in ids:
            return True  # Wagtail takes "all" from the user's own listing
        visible = collection_objects_visible_to(user, model)
    else:
        policy = policy_registry.get_by_type(model)
        return policy.user_has_any_permission(user, ("view", "change", "delete"))
    wanted = {int(value) for value in ids}
    return len(wanted) == visible.filter(pk__in=wanted).count()


def _ids_well_formed(request) -> bool:
    """Numbers (or "all" in a listing), which Wagtail's lookups take without a server error."""
    return all(value.isdigit() or value == "all" for value in request.GET.getlist("id"))


def _pages_chosen_allowed(request) -> bool:
    """Page ids, visible to the user, none of them the tree's root (which has no parent to describe)."""
    ids = request.GET.getlist("id")
    if not all(value.isdigit() for value in ids):
        return False
    wanted = {int(value) for value in ids}
    pages = Page.objects.all() if request.user.is_superuser else pages_visible_to(request.user)
    return len(wanted) == pages.filter(pk__in=wanted, depth__gt=1).count()


class AdminScopeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or not request.user.is_authenticated:
            return None
        if match.view_name in (BULK_ACTION_VIEW, PAGES_CHOSEN_VIEW) and not _ids_well_formed(request):
            raise BadRequest
        if match.view_name == PAGES_CHOSEN_VIEW and not _pages_chosen_allowed(request):
            raise PermissionDenied
        if not request.user.is_superuser and not self.allowed(request, match.view_name, view_kwargs):
            raise PermissionDenied
        return None

    @staticmethod
    def allowed(request, name, view_kwargs) -> bool:
        user = request.user
        if name.startswith(PAGE_VIEW_PREFIXES):
            page_ids = {view_kwargs[key] for key in PAGE_ID_PARAMETERS if key in view_kwargs}
            return not page_ids or pages_visible_to(user).filter(pk__in=page_ids).count() == len(page_ids)
        if name.startswith(SELLER_CHOOSER_NAMESPACE):
            return seller_permission_policy.user_has_permission(user, "view")
        if name == BULK_ACTION_VIEW:
            return _bulk_action_allowed(request, view_kwargs)
        if name in WHOLE_TREE_REPORTS:
            return user_sees_whole_tree(user)
        return True


class ScopedImagesAdminAPIViewSet(ImagesAdminAPIViewSet):
    """The admin API's images: those the user may choose, change or delete (Wagtail's lists them all)."""

    def get_queryset(self):
        return images_visible_to(self.request.user).order_by("id")


class ScopedDocumentsAdminAPIViewSet(DocumentsAdminAPIViewSet):
    """The admin API's documents: those the user may choose, change or delete (Wagtail's lists them all)."""

    def get_queryset(self):
        return documents_visible_to(self.request.user).order_by("id")
