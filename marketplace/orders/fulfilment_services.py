"""Routing a paid order to its sellers: one ``SellerOrder`` per seller, made once."""

from collections import defaultdict
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Order, OrderLine, SellerOrder


def order_split(*, order: Order, now: datetime | None = None) -> list[SellerOrder]:
    """Split a paid order into one part per seller and tell each seller. Idempotent: a second call
    (a repeated payment event) returns the parts made by the first. Raises ValidationError for an
    order that is not paid."""
    now = now or timezone.now()
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.split_at:
            return list(order.seller_orders.order_by("reference"))
        if order.status != Order.Status.PAID:
            raise ValidationError(_("Only a paid order is sent to its sellers."), code="not_paid")
        lines_by_seller = defaultdict(list)
        for line in order.lines.all():
            lines_by_seller[line.seller_id].append(line)
        parts = {part.seller_id: part for part in order.shipping_parts.all()}
        accept_by = now + timedelta(hours=settings.SELLER_ORDER_ACCEPT_HOURS)
        seller_orders = []
        for number, seller_id in enumerate(sorted(lines_by_seller), start=1):
            lines, part = lines_by_seller[seller_id], parts[seller_id]
            subtotal = sum((line.line_total for line in lines), Decimal(0))
            subtotal_base = sum((line.unit_price_base * line.quantity for line in lines), Decimal(0))
            seller_order = SellerOrder.objects.create(
                order=order, seller_id=seller_id, reference=f"{order.reference}-{number}",
                subtotal=subtotal, shipping=part.price, total=subtotal + part.price,
                subtotal_base=subtotal_base, shipping_base=part.price_base, total_base=subtotal_base + part.price_base,
                dispatch_by=part.dispatch_by, accept_by=accept_by,
            )
            OrderLine.objects.filter(pk__in=[line.pk for line in lines]).update(seller_order=seller_order)
            seller_orders.append(seller_order)
        order.split_at = now
        order.save(update_fields=["split_at"])
        for seller_order in seller_orders:
            _seller_email_queue(seller_order, "received")
    return seller_orders


def _seller_email_queue(seller_order: SellerOrder, kind: str) -> None:
    from .tasks import seller_order_email_send

    transaction.on_commit(lambda: seller_order_email_send.delay(seller_order.pk, kind))
