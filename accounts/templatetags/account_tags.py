from django import template

from accounts.selectors import favourite_product_ids

register = template.Library()


@register.inclusion_tag("accounts/includes/favourite_button.html", takes_context=True)
def favourite_button(context, product_id, next_url=""):
    """The heart of a product: a form for a signed-in buyer, a link to sign in for anyone else.

    An anonymous visitor's page can be shared through the page cache, so it carries no CSRF token and
    no form that needs one.
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    if signed_in and not hasattr(request, "_favourite_product_ids"):
        request._favourite_product_ids = favourite_product_ids(user=user)
    return {
        "request": request,
        "signed_in": signed_in,
        "product_id": product_id,
        "next_url": next_url or (request.get_full_path() if request else ""),
        "is_favourite": signed_in and product_id in request._favourite_product_ids,
        "csrf_token": context.get("csrf_token"),
    }
