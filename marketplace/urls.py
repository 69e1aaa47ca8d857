from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from catalog.routing import serve as catalog_serve
from catalog.views import certificate_verify, certificate_verify_json
from search.views import search_api, search_page, search_suggest

from .currency.views import currency_set
from .health import healthz
from .views import ceiling

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("currency/", currency_set, name="currency_set"),
    path("bench/ceiling", ceiling, name="bench_ceiling"),
    # Language-neutral, as printed in QR codes; the language comes from the browser.
    path("verify/<str:number>.json", certificate_verify_json, name="certificate_verify_json"),
    path("verify/<str:number>/", certificate_verify, name="certificate_verify"),
    path("api/v1/search/", search_api, name="search_api"),
    path("api/v1/search/suggest/", search_suggest, name="search_suggest"),
]

if settings.DEBUG or settings.SERVE_MEDIA:
    urlpatterns += [path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]

urlpatterns += i18n_patterns(
    path("search/", search_page, name="search"),
    path("sell/", include("sellers.urls")),
    # Wagtail's URLs, with its page view replaced by the cached router (same pattern and name).
    *[pattern for pattern in wagtail_urls.urlpatterns if getattr(pattern, "name", None) != "wagtail_serve"],
    re_path(wagtail_urls.serve_pattern, catalog_serve, name="wagtail_serve"),
)
