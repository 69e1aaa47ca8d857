from django.shortcuts import render
from django.utils.translation import get_language

from .listing import listing_context

# The search API (/api/v1/search/ and /api/v1/search/suggest/) is served by the open catalogue API (api.views).


def search_page(request):
    return render(request, "search/search_page.html", listing_context(request, language=(get_language() or "en")[:2]))
