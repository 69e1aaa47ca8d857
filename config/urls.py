from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from accounts import account_views
from api.views import api
from catalog.routing import serve as catalog_serve
from currency.views import currency_set
from labels.views import (
    certificate_verify,
    certificate_verify_json,
    gtin_passport,
    product_passport_json,
    product_passport_view,
)
from marketplace.checkout import views as checkout_views
from marketplace.orders import (
    converters,  # noqa: F401  (registers the order-link path converters)
    document_views,
)
from marketplace.payments.webhooks import payment_webhook
from marketplace.quotes import views as quote_views
from marketplace.returns import views as return_views
from marketplace.trade import views as trade_views
from notices import views as notice_views
from observatory import views as observatory_views
from search import views as search_views
from search.feed_views import shopping_feed
from search.views import search_page

from .health import healthz
from .security_headers import csp_report
from .views import ceiling, security_txt

# allauth's own rate limits (sign-up, password reset) answer with this page.
handler429 = "config.ratelimit.too_many_requests"

# Admin addresses from before commerce and labels moved to their own apps (bookmarks, links in old emails)
# keep working: (old app, model) -> new app.
MOVED_ADMIN_MODELS = {("marketplace", "banktransfersettings"): "payments", ("marketplace", "countrysettings"): "shipping",
                      ("marketplace", "bankaccount"): "payments", ("marketplace", "shippingzone"): "shipping",
                      ("catalog", "labelscheme"): "labels"}


def moved_admin_model_redirect(request, kind, app, model, rest):
    new_app = MOVED_ADMIN_MODELS.get((app, model))
    if new_app is None:
        raise Http404
    query = f"?{request.META['QUERY_STRING']}" if request.META.get("QUERY_STRING") else ""
    return HttpResponsePermanentRedirect(f"/admin/{kind}/{new_app}/{model}/{rest}{query}")


urlpatterns = [
    re_path(r"^admin/(?P<kind>settings|snippets)/(?P<app>marketplace|catalog)/"
            rf"(?P<model>{'|'.join(model for _app, model in MOVED_ADMIN_MODELS)})/(?P<rest>.*)$",
            moved_admin_model_redirect),
    path("healthz", healthz, name="healthz"),
    path("robots.txt", search_views.robots_txt, name="robots_txt"),
    path("sitemap.xml", search_views.sitemap_index, name="sitemap_index"),
    path("sitemaps/<str:name>.xml", search_views.sitemap_section, name="sitemap_section"),
    path(".well-known/security.txt", security_txt, name="security_txt"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("currency/", currency_set, name="currency_set"),
    path("bench/ceiling", ceiling, name="bench_ceiling"),
    # Language-neutral, as printed in QR codes; the language comes from the browser.
    path("verify/<str:number>.json", certificate_verify_json, name="certificate_verify_json"),
    path("verify/<str:number>/", certificate_verify, name="certificate_verify"),
    # The product passport, where the QR code of a product's tag leads; GS1 Digital Link for barcodes.
    path("p/<int:product_id>/", product_passport_view, name="product_passport"),
    path("p/<int:product_id>.json", product_passport_json, name="product_passport_json"),
    path("01/<str:gtin>/", gtin_passport, name="gtin_passport"),
    path("01/<str:gtin>/<path:qualifiers>", gtin_passport, name="gtin_passport_qualified"),
    # Shopping feeds (docs/feeds.md): one per language and display currency, e.g. /feeds/fr-EUR.xml.
    path("feeds/<str:name>.xml", shopping_feed, name="shopping_feed"),
    # The open catalogue API (django-ninja): /api/v1/search/, …, /api/v1/openapi.json, /api/v1/docs.
    path("api/v1/", api.urls),
    path("payments/<slug:provider_name>/webhook/", payment_webhook, name="payment_webhook"),
    path("csp-report/", csp_report, name="csp_report"),
]

if settings.DEBUG or settings.SERVE_MEDIA:
    # Wagtail's documents are served by /documents/<id>/<name> only, which checks their collection's
    # privacy (a seller's documents: its members and chamber staff); never straight from the media folder.
    urlpatterns += [
        re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?!documents/)(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    ]

urlpatterns += i18n_patterns(
    path("search/", search_page, name="search"),
    path("sector/", observatory_views.sector_page, name="sector_figures"),
    path("sector/figures.csv", observatory_views.sector_csv, name="sector_figures_csv"),
    path("sector/figures.json", observatory_views.sector_json, name="sector_figures_json"),
    path("sell/", include("sellers.urls")),
    path("products/<str:product_id>/report/", notice_views.notice_report, name="notice_report"),
    path("contact-point/", notice_views.contact_point, name="contact_point"),
    path("basket/", checkout_views.basket_detail, name="basket"),
    path("basket/add/", checkout_views.basket_add, name="basket_add"),
    path("basket/update/", checkout_views.basket_update, name="basket_update"),
    path("checkout/", checkout_views.checkout, name="checkout"),
    path("checkout/review/", checkout_views.checkout_review, name="checkout_review"),
    path("orders/<order_reference:reference>/<access_token:token>/", checkout_views.order_detail, name="order_detail"),
    path("orders/<order_reference:reference>/<access_token:token>/order.json", checkout_views.order_detail_json,
         name="order_detail_json"),
    path("orders/<order_reference:reference>/<access_token:token>/pay/", checkout_views.order_pay, name="order_pay"),
    path("orders/<order_reference:reference>/<access_token:token>/returns/<slug:part>/new/", return_views.return_new,
         name="return_new"),
    path("orders/<order_reference:reference>/<access_token:token>/returns/<slug:return_reference>/send/",
         return_views.return_send_view, name="return_send"),
    path("orders/<order_reference:reference>/<access_token:token>/returns/<slug:return_reference>/cancel/",
         return_views.return_cancel_view, name="return_cancel"),
    path("orders/<order_reference:reference>/<access_token:token>/documents/"
         "<seller_order_reference:seller_order_reference>/<slug:kind>.pdf",
         document_views.seller_order_document_buyer, name="order_document"),
    # The buyer's account area; allauth's pages (login, logout, signup, email, password) under the same prefix.
    path("account/", account_views.account_overview, name="account_overview"),
    path("account/orders/", checkout_views.account_orders, name="account_orders"),
    path("account/trade/apply/", trade_views.trade_apply, name="trade_apply"),
    path("account/trade/company/", trade_views.trade_company, name="trade_company"),
    path("account/trade/orders/", checkout_views.trade_company_orders, name="trade_company_orders"),
    path("account/trade/company/invite/", trade_views.trade_member_invite_view, name="trade_member_invite"),
    path("account/trade/company/invitations/<int:pk>/revoke/", trade_views.trade_invitation_revoke_view,
         name="trade_invitation_revoke"),
    path("account/trade/company/users/<int:pk>/", trade_views.trade_member_change_view, name="trade_member_change"),
    path("account/trade/invitation/<str:token>/", trade_views.trade_invitation, name="trade_invitation"),
    path("account/quotes/", quote_views.quote_requests, name="quote_requests"),
    path("account/quotes/new/", quote_views.quote_request_new, name="quote_request_new"),
    path("account/quotes/<int:pk>/", quote_views.quote_thread, name="quote_thread"),
    path("account/quotes/<int:pk>/message/", quote_views.quote_thread_message, name="quote_thread_message"),
    path("account/quotes/<int:pk>/close/", quote_views.quote_thread_close, name="quote_thread_close"),
    path("account/quotes/quote/<int:pk>/accept/", quote_views.quote_accept_view, name="quote_accept"),
    path("account/quotes/quote/<int:pk>/reject/", quote_views.quote_reject_view, name="quote_reject"),
    path("account/quotes/quote/<int:pk>/order/", quote_views.quote_order, name="quote_order"),
    path("account/quotes/quote/<int:pk>/proforma.pdf", quote_views.quote_proforma, name="quote_proforma"),
    path("account/quotes/files/<int:pk>/", quote_views.quote_file, name="quote_file"),
    path("account/addresses/", account_views.address_list, name="account_addresses"),
    path("account/addresses/add/", account_views.address_edit, name="account_address_add"),
    path("account/addresses/<int:address_id>/", account_views.address_edit, name="account_address_edit"),
    path("account/addresses/<int:address_id>/delete/", account_views.address_delete, name="account_address_delete"),
    path("account/favourites/", account_views.favourite_list, name="account_favourites"),
    path("account/favourites/toggle/", account_views.favourite_toggle, name="account_favourite_toggle"),
    path("account/data.json", account_views.data_export, name="account_data_export"),
    path("account/delete/", account_views.delete, name="account_delete"),
    path("account/register/", RedirectView.as_view(pattern_name="account_signup", permanent=True)),
    path("account/", include("allauth.account.urls")),
    # Wagtail's URLs, with its page view replaced by the cached router (same pattern and name).
    *[pattern for pattern in wagtail_urls.urlpatterns if getattr(pattern, "name", None) != "wagtail_serve"],
    re_path(wagtail_urls.serve_pattern, catalog_serve, name="wagtail_serve"),
)
