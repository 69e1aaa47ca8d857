from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's, except that a 404 answered by a view is final.

    Django retries a 404 under the language prefix; with Wagtail's catch-all page route every prefixed
    path "exists", so an unknown certificate at /verify/… or a missing admin object would be
    redirected to /en/… instead of getting its own helpful 404.
    """

    def process_response(self, request, response):
        if response.status_code == 404 and getattr(request, "resolver_match", None) is not None:
            patch_vary_headers(response, ("Accept-Language",))
            response.headers.setdefault("Content-Language", get_language())
            return response
        return super().process_response(request, response)
