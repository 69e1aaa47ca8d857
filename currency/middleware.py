from django.utils.cache import patch_vary_headers

from .selectors import currency_normalise

CURRENCY_COOKIE = "currency"


class CurrencyMiddleware:
    """Sets ``request.currency`` from the buyer's cookie; pages vary on it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.currency = currency_normalise(request.COOKIES.get(CURRENCY_COOKIE))
        response = self.get_response(request)
        # Always, so that a page cached for a visitor without the cookie is never served to one with it.
        patch_vary_headers(response, ["Cookie"])
        return response
