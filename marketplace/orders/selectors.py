"""Reading orders: who may see one, and its private address."""

from django.conf import settings
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.translation import override

from .models import Order


def order_url(order: Order, *, absolute: bool = False) -> str:
    """The order's private page (its link works without an account, like a guest's)."""
    with override(order.language or settings.LANGUAGE_CODE):
        path = reverse("order_detail", args=[order.reference, order.access_token])
    return f"{settings.PUBLIC_BASE_URL.rstrip('/') or settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{path}" if absolute else path


def order_for_link(reference: str, token: str) -> Order | None:
    """The order the link names, if its token matches."""
    order = Order.objects.filter(reference=reference).first()
    if order is None or not constant_time_compare(order.access_token, token):
        return None
    return order


def orders_of(user) -> list[Order]:
    return list(Order.objects.filter(user=user).order_by("-placed_at")[:50]) if user.is_authenticated else []
