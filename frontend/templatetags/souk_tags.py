import threading

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import translate_url
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_info, pgettext
from wagtail.models import Page

from accounts.templatetags.account_tags import favourite_button
from catalog.models import ProductPage
from catalog.selectors import main_menu_items
from currency.selectors import base_currency, money_convert, money_format
from frontend.structured_data import canonical_url, hreflang_links, json_for_script, page_image_url, structured_data

register = template.Library()

# Rendered product cards, in this process, keyed by everything they show: the card itself (a frozen
# value holding the product's title, address, price, stock, image and labels), the language and the
# price as shown (currency and rate). A changed card is a new key, so nothing here is ever stale.
# The favourite button depends on the visitor and the page: it is put in at each render.
_CARD_HTML: dict = {}
_CARD_HTML_LIMIT = 5000
_CARD_HTML_LOCK = threading.Lock()
_FAVOURITE_SLOT = "\x00favourite\x00"


@register.simple_tag(takes_context=True)
def price(context, amount):
    """A base-currency amount in the buyer's currency, with the base amount beside it."""
    base_code = base_currency()
    currency = context.get("currency") or base_code
    base = money_format(amount, base_code)
    if currency == base_code:
        return format_html('<span class="price__amount">{}</span>', base)
    shown = money_convert(amount, to=currency)
    return format_html(
        '<span class="price__amount">{}</span> <span class="price__base">({})</span>',
        money_format(shown.amount, shown.currency),
        base,
    )


@register.simple_tag(takes_context=True)
def product_card(context, card):
    """A listing's product card (``catalog.selectors.ProductCard``)."""
    price_html = price(context, card.price)
    key = (get_language(), price_html, card)
    parts = _CARD_HTML.get(key)
    if parts is None:
        html = render_to_string("frontend/includes/product_card.html",
                                {"card": card, "price_html": price_html, "favourite_html": _FAVOURITE_SLOT})
        parts = tuple(html.split(_FAVOURITE_SLOT, 1))
        with _CARD_HTML_LOCK:
            if len(_CARD_HTML) >= _CARD_HTML_LIMIT:
                _CARD_HTML.pop(next(iter(_CARD_HTML)))
            _CARD_HTML[key] = parts
    before, after = parts
    return mark_safe(before + _favourite_html(context, card.product_id) + after)  # noqa: S308 (rendered by templates)


def _favourite_html(context, product_id) -> str:
    """The card's favourite button; a visitor not signed in gets the same one on every card of a page."""
    button = favourite_button(context, product_id)
    if button["signed_in"]:
        return render_to_string("accounts/includes/favourite_button.html", button)
    request = context.get("request")
    memo = getattr(request, "_anonymous_favourite_html", None) if request is not None else None
    if memo is None or memo[0] != button["next_url"]:
        memo = (button["next_url"], render_to_string("accounts/includes/favourite_button.html", button))
        if request is not None:
            request._anonymous_favourite_html = memo
    return memo[1]


@register.simple_tag(takes_context=True)
def language_links(context):
    """One link per language: to this page's translation where there is one, else that language's home.
    Worked out once per request (the menu and the head's alternates both ask)."""
    request = context.get("request")
    page = context.get("page") if isinstance(context.get("page"), Page) else None
    memo_key = (page.pk if page is not None else None, get_language())
    memo = getattr(request, "_language_links", None) if request is not None else None
    if memo and memo[0] == memo_key:
        return memo[1]
    links = _language_links(request, page)
    if request is not None:
        request._language_links = (memo_key, links)
    return links


def _language_links(request, page):
    translations = {}
    if page is not None:
        for translation in page.get_translations(inclusive=True).live().select_related("locale"):
            translations[translation.locale.language_code] = translation
    current = get_language()
    links = []
    for code, _name in settings.LANGUAGES:
        if page is not None:
            target = translations.get(code)
            url = target.get_url(request) if target is not None else f"/{code}/"
        else:
            target = True
            url = translate_url(request.get_full_path(), code) if request else f"/{code}/"
        info = get_language_info(code)
        links.append({"code": code, "name": info["name_local"], "url": url, "current": code == current,
                      "translated": target is not None})
    return links


@register.simple_tag
def main_menu():
    """The category pages and the seller index of the active language."""
    return main_menu_items(language=get_language() or settings.LANGUAGE_CODE)


@register.filter
def list_join(items):
    """Items joined with the active language's list separator (Arabic uses its own comma)."""
    return pgettext("list separator", ", ").join(str(item) for item in items)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.simple_tag
def home_url():
    return f"/{get_language() or 'en'}/"


@register.filter
def money(amount, currency):
    """An amount already in ``currency`` (an order's), formatted like prices."""
    return money_format(amount, currency) if amount is not None else ""


@register.simple_tag(takes_context=True)
def applied_filters(context, facets):
    """The chosen facet values of a listing, each with the link that removes it (and goes back to page 1)."""
    request = context.get("request")
    if request is None:
        return []
    chips = []
    for facet in facets:
        for entry in facet["values"]:
            if not entry["selected"]:
                continue
            kept = [(key, value) for key, values in request.GET.lists() for value in values
                    if key != "page" and not (key == facet["name"] and value == str(entry["value"]))]
            chips.append({"facet": facet["title"], "name": entry["name"], "url": "?" + urlencode(kept)})
    return chips


@register.inclusion_tag("frontend/includes/seo_head.html", takes_context=True)
def seo_head(context):
    """The head's links and cards for search engines and link previews, and the page's JSON-LD."""
    request = context.get("request")
    if request is None:
        return {}
    page = context.get("page") if isinstance(context.get("page"), Page) else None
    page = page.specific if page is not None else None
    currency = context.get("currency") or base_currency()
    image = page_image_url(page, request) if page is not None else ""
    return {
        "canonical": canonical_url(request),
        "alternates": hreflang_links(request, language_links(context)),
        "title": (page.seo_title or page.title) if page is not None else "",
        "description": page.search_description if page is not None else "",
        "og_type": "product" if isinstance(page, ProductPage) else "website",
        "image": image,
        "locale": (get_language() or settings.LANGUAGE_CODE)[:2],
        "json_ld": [json_for_script(data)
                    for data in structured_data(page, request, currency=currency, labels=context.get("labels"))]
        if page is not None else [],
    }
