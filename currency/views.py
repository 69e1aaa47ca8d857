from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme

from .middleware import CURRENCY_COOKIE
from .selectors import currency_normalise


def currency_set(request):
    """Remember the buyer's currency in a cookie and go back to the page it came from."""
    next_url = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    response.set_cookie(
        CURRENCY_COOKIE,
        currency_normalise(request.GET.get("currency")),
        max_age=60 * 60 * 24 * 365,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response
