"""The two personal facts a shared (page-cached) page needs, kept in cookies the browser sends back.

- ``signed_in``: the visitor is signed in. The page cache serves such visitors fresh pages and keeps
  none of theirs (config.page_cache). HttpOnly: only the server reads it. Forging or deleting it only
  chooses between a fresh page and the anonymous copy.
- ``basket_count``: how many products the basket holds, which frontend/js/basket-count.js shows next
  to "Basket" in the header. Readable by scripts; it is a display hint, the basket itself is in the
  session or the account.

Both are set on the response that changes them: a basket change (``request.basket_count``, set by the
basket) or a sign-in or sign-out, whose basket is another one.
"""

from django.conf import settings

from config.page_cache import SIGNED_IN_COOKIE

BASKET_COUNT_COOKIE = "basket_count"


class PersonalCookiesMiddleware:
    """After the authentication middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is None:
            return response
        signed_in = user.is_authenticated
        was_signed_in = SIGNED_IN_COOKIE in request.COOKIES
        common = {"samesite": "Lax", "secure": settings.SESSION_COOKIE_SECURE, "max_age": settings.SESSION_COOKIE_AGE}
        if signed_in and not was_signed_in:
            response.set_cookie(SIGNED_IN_COOKIE, "1", httponly=True, **common)
        elif was_signed_in and not signed_in:
            response.delete_cookie(SIGNED_IN_COOKIE, samesite="Lax")

        count = getattr(request, "basket_count", None)
        if count is None and signed_in != was_signed_in:
            # the basket's services import the catalogue; only a sign-in or sign-out needs them
            from marketplace.basket.services import Basket

            count = len(Basket(request).lines())
        if count is not None and str(count) != request.COOKIES.get(BASKET_COUNT_COOKIE, "0"):
            if count:
                response.set_cookie(BASKET_COUNT_COOKIE, str(count), httponly=False, **common)
            else:
                response.delete_cookie(BASKET_COUNT_COOKIE, samesite="Lax")
        return response
