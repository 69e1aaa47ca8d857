"""Closes the two places where Wagtail's admin shows an object outside a seller's workspace.

- The page explorer lets anyone reach any page below the user's "explorable root"; a seller's pages
  in three languages share the tree's root as their common ancestor, so a seller could open another
  seller's page (its title, never its children) by id. Here a page is explorable only if Wagtail's
  own permission policy counts it explorable: the user's pages, their ancestors and descendants.
- The seller chooser answers any admin user with a seller's name; here it needs ``view_seller``.
"""

from django.core.exceptions import PermissionDenied
from wagtail.permission_policies.pages import PagePermissionPolicy

EXPLORER_VIEWS = {"wagtailadmin_explore", "wagtailadmin_explore_results"}
SELLER_CHOOSER_NAMESPACE = "wagtailsnippetchoosers_sellers_seller:"


class AdminScopeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or not request.user.is_authenticated or request.user.is_superuser:
            return None
        if match.view_name in EXPLORER_VIEWS and "parent_page_id" in view_kwargs:
            explorable = PagePermissionPolicy().explorable_instances(request.user)
            if not explorable.filter(pk=view_kwargs["parent_page_id"]).exists():
                raise PermissionDenied
        elif match.view_name.startswith(SELLER_CHOOSER_NAMESPACE) and not request.user.has_perm("sellers.view_seller"):
            raise PermissionDenied
        return None
