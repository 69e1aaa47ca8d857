"""Reads of requests for quote: whom a buyer may ask, and a company's threads."""

from catalog.models import Product
from sellers.models import Seller, Trade

from .models import QuoteThread

MAX_SELLERS_LISTED = 100


def sellers_to_ask(*, seller_id: int | None = None, craft_id: int | None = None) -> list[Seller]:
    """The verified sellers a request may go to: the one named, or those of a craft (by name, at most
    MAX_SELLERS_LISTED), or none until one of the two is chosen."""
    sellers = Seller.objects.filter(status=Seller.Status.VERIFIED)
    if seller_id:
        return list(sellers.filter(pk=seller_id))
    if craft_id:
        return list(sellers.filter(trades__pk=craft_id).distinct().order_by("legal_name")[:MAX_SELLERS_LISTED])
    return []


def products_to_ask(seller_id: int) -> list[Product]:
    """A seller's products a request may name (those on sale)."""
    return list(Product.objects.filter(seller_id=seller_id, pages__live=True).distinct().order_by("pk")[:200])


def threads_of_company(company_id: int):
    return (QuoteThread.objects.filter(request__company_id=company_id)
            .select_related("request", "seller").order_by("-updated_at", "-pk"))


def crafts_to_ask():
    """The crafts that have verified sellers, to ask them all at once."""
    return Trade.objects.filter(sellers__status=Seller.Status.VERIFIED).distinct().order_by("code")
