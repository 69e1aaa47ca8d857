from django.db import connection
from django.db.models import Q

from catalog.models import ProductPage
from sellers.models import Seller

from .base import ListingQuery, ListingResults, ListingSearchBackend


class DatabaseListingBackend(ListingSearchBackend):
    """Searches the database the site runs on: the embedded default, no other engine needed."""

    name = "database"

    def search(self, query: ListingQuery) -> ListingResults:
        pages = ProductPage.objects.live().filter(
            locale__language_code=query.language, product__seller__status=Seller.Status.VERIFIED
        )
        for word in query.text.split():
            pages = pages.filter(Q(title__icontains=word) | Q(description__icontains=word))
        total = pages.count()
        start = (query.page - 1) * query.page_size
        ids = list(pages.order_by("-first_published_at", "-pk").values_list("pk", flat=True)[start : start + query.page_size])
        return ListingResults(page_ids=ids, total=total)

    def ping(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
