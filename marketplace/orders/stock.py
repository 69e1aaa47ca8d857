"""Stock taken by orders and given back: one conditional UPDATE per product, in product order, so the
last unit is sold once and concurrent orders never deadlock."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils.translation import gettext as _

from catalog.models import Product
from catalog.signals import products_stock_changed

from .models import OrderLine


def stock_take(product_id: int, quantity: int, title: str) -> None:
    taken = Product.objects.filter(pk=product_id, stock__gte=quantity).update(stock=F("stock") - quantity)
    if not taken:
        left = Product.objects.filter(pk=product_id).values_list("stock", flat=True).first() or 0
        raise ValidationError(
            _("“%(title)s”: only %(count)d left, someone was quicker. Change the quantity to continue.")
            % {"title": title, "count": left} if left else
            _("“%(title)s” has just sold out. Remove it to continue.") % {"title": title},
            code="stock",
        )


def stock_return(lines: Iterable[OrderLine]) -> list[int]:
    returned = []
    for line in sorted(lines, key=lambda line: line.product_id or 0):
        if line.stock_taken and line.product_id:
            Product.objects.filter(pk=line.product_id).update(stock=F("stock") + line.quantity)
            returned.append(line.product_id)
    return returned


def stock_changed(product_ids) -> None:
    if product_ids:
        products_stock_changed.send(sender=OrderLine, product_ids=list(product_ids))
