"""Serving Wagtail pages with their route looked up once per catalogue generation.

Wagtail finds a page by walking the tree from the site's root, two queries per level, and finds the
site with another. Here the outcome of that walk (page id and type) is cached per host, language and
path, and the page is then loaded in one query with what its template needs
(``served_queryset``). A miss falls back to Wagtail's own routing, which stays the reference.
"""

import hashlib

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.utils.translation import get_language
from wagtail import views as wagtail_views
from wagtail.models import Page, Site
from wagtail.url_routing import RouteResult

from .cache import catalog_generation

ROUTE_TIMEOUT = 60 * 60


def _site(request, generation):
    key = f"catalog:{generation}:site:{request.get_host()}"
    site = cache.get(key)
    if site is None:
        site = Site.find_for_request(request)
        if site is not None:
            cache.set(key, site, ROUTE_TIMEOUT)
    request._wagtail_site = site
    return site


def serve(request, path):
    generation = catalog_generation()
    site = _site(request, generation)
    if site is not None:
        # The path is hashed: a visitor's path may hold spaces, control characters or any length,
        # which a cache key must not (memcached refuses them).
        path_digest = hashlib.blake2b(path.encode(), digest_size=16).hexdigest()
        key = f"catalog:{generation}:route:{site.pk}:{get_language()}:{path_digest}"
        target = cache.get(key)
        if target is not None:
            content_type_id, page_id = target
            model = ContentType.objects.get_for_id(content_type_id).model_class()
            queryset = model.served_queryset() if hasattr(model, "served_queryset") else model.objects.all()
            page = queryset.filter(pk=page_id, live=True).first()
            if page is not None:
                request._wagtail_route_for_request = RouteResult(page)
        else:
            route = Page.route_for_request(request, path)
            if route is not None and route.page.live and not route.args and not route.kwargs:
                cache.set(key, (route.page.content_type_id, route.page.pk), ROUTE_TIMEOUT)
    return wagtail_views.serve(request, path)
