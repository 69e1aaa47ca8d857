"""Reads of a buyer's account: saved addresses, favourites, and everything the account holds (data export)."""

from django.contrib.auth import get_user_model
from django.utils import timezone

from catalog.models import ProductPage
from marketplace.orders.models import Order

from .models import Favourite, SavedAddress


def saved_addresses_of(*, user) -> list[SavedAddress]:
    """The user's addresses, the default one first; none for an anonymous visitor."""
    if not user.is_authenticated:
        return []
    return list(SavedAddress.objects.filter(user=user))


def saved_address_of(*, user, address_id) -> SavedAddress | None:
    """One of the user's addresses, or None (another user's, or none with that id)."""
    if not user.is_authenticated:
        return None
    try:
        return SavedAddress.objects.filter(user=user, pk=int(address_id)).first()
    except (TypeError, ValueError):
        return None


def favourite_product_ids(*, user) -> frozenset[int]:
    if not user.is_authenticated:
        return frozenset()
    return frozenset(Favourite.objects.filter(user=user).values_list("product_id", flat=True))


def favourites_of(*, user, language: str) -> list[dict]:
    """The user's favourite products, each with its live page in this language (else any language)."""
    favourites = list(Favourite.objects.filter(user=user).select_related("product"))
    pages: dict[int, ProductPage] = {}
    for page in (ProductPage.objects.live().filter(product_id__in=[item.product_id for item in favourites])
                 .select_related("locale").order_by("pk")):
        if page.product_id not in pages or page.locale.language_code == language:
            pages[page.product_id] = page
    return [{"favourite": item, "product": item.product, "page": pages.get(item.product_id)} for item in favourites]


def account_data_export(*, user) -> dict:
    """Everything the account holds, as JSON-ready data (GDPR's right of access and portability)."""
    account = get_user_model()._default_manager.get(pk=user.pk)
    emails = [{"email": address.email, "verified": address.verified, "primary": address.primary}
              for address in account.emailaddress_set.all()]
    orders = Order.objects.filter(user=account).prefetch_related("lines").order_by("placed_at")
    return {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": account.email, "first_name": account.first_name, "last_name": account.last_name,
            "date_joined": account.date_joined.isoformat(),
            "last_login": account.last_login.isoformat() if account.last_login else None,
            "email_addresses": emails,
        },
        "saved_addresses": [
            {"name": item.name, "line1": item.line1, "line2": item.line2, "city": item.city, "region": item.region,
             "postal_code": item.postal_code, "country": item.country, "phone": item.phone,
             "is_default": item.is_default, "saved_at": item.created_at.isoformat()}
            for item in SavedAddress.objects.filter(user=account)
        ],
        "favourites": [
            {"product_id": item.product_id, "saved_at": item.created_at.isoformat()}
            for item in Favourite.objects.filter(user=account)
        ],
        "orders": [_order_export(order) for order in orders],
    }


def _order_export(order: Order) -> dict:
    return {
        "reference": order.reference, "placed_at": order.placed_at.isoformat(), "status": order.status,
        "email": order.email, "language": order.language, "currency": order.currency,
        "subtotal": str(order.subtotal), "shipping": str(order.shipping), "total": str(order.total),
        "refunded": str(order.refunded), "payment_method": order.payment_provider,
        "ship_to": {"name": order.ship_name, "line1": order.ship_line1, "line2": order.ship_line2,
                    "city": order.ship_city, "region": order.ship_region, "postal_code": order.ship_postal_code,
                    "country": order.ship_country, "phone": order.ship_phone},
        "lines": [_line_export(line) for line in order.lines.all()],
    }


def _line_export(line) -> dict:
    return {"product_id": line.product_id, "title": line.title, "quantity": line.quantity,
            "unit_price": str(line.unit_price), "line_total": str(line.line_total)}


def saved_addresses_for_checkout(user) -> list[tuple[int, str, dict]]:
    """The user's addresses as checkout's form takes them, the default first (registered with checkout)."""
    return [(item.pk, str(item), {name: getattr(item, name) for name in
                                  ("name", "line1", "line2", "city", "region", "postal_code", "country", "phone")})
            for item in saved_addresses_of(user=user)]
