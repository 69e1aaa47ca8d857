from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import get_language
from wagtail.models import Locale

from catalog.selectors import product_cards, product_pages_for_listing

from .backends import ListingQuery, get_listing_backend

PAGE_SIZE = 24
MAX_QUERY_LENGTH = 200


def search_page(request):
    text = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    try:
        page_number = max(1, int(request.GET.get("page", 1)))
    except ValueError:
        page_number = 1
    language = (get_language() or "en")[:2]
    results = get_listing_backend().search(
        ListingQuery(text=text, language=language, page=page_number, page_size=PAGE_SIZE)
    )
    locale = Locale.objects.get(language_code=language)
    cards = {card.page_id: card for card in product_cards(product_pages_for_listing(locale=locale).filter(pk__in=results.page_ids), request=request)}
    hits = [cards[pk] for pk in results.page_ids if pk in cards]
    paginator = Paginator(range(results.total), PAGE_SIZE)
    page = paginator.get_page(page_number)
    return render(
        request,
        "search/search_page.html",
        {"query": text, "hits": hits, "total": results.total, "page": page},
    )
