"""The buyer's basket: in the session for visitors, in the database once signed in (merged at login).

Quantities are bounded by the product's minimum order and, unless it is made to order, its stock; a
trade buyer's are whole cases (never rounded: the message says the nearest valid quantities).
The stock is only taken when an order is placed; the basket reserves nothing.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from catalog.models import Product, ProductPage
from catalog.pricing import case_pack_problem
from marketplace.trade.selectors import trade_buyer_of
from sellers.models import Seller

from .models import BasketLine

SESSION_KEY = "basket"
MAX_LINES = 50


@dataclass(frozen=True)
class BasketItem:
    product: Product
    quantity: int


def _listed_ids(products) -> set[int]:
    """Which of these products are on sale: a live page and a verified seller (one query)."""
    verified = {product.pk for product in products if product.seller.status == Seller.Status.VERIFIED}
    return set(ProductPage.objects.live().filter(product_id__in=verified).values_list("product_id", flat=True))


def quantity_errors(lines, *, trade: bool = False) -> dict[int, ValidationError]:
    """What stops each (product, quantity) line from being ordered, by product id; one query for all.
    ``trade``: a verified trade buyer's lines, which also go by whole cases."""
    lines = list(lines)
    listed = _listed_ids([product for product, _quantity in lines])
    errors = {}
    for product, quantity in lines:
        try:
            _bounds_checked(product, quantity, listed=product.pk in listed, trade=trade)
        except ValidationError as error:
            errors[product.pk] = error
    return errors


def quantity_checked(product: Product, quantity: int, *, trade: bool = False) -> int:
    """The quantity if the product can be ordered in it; raises ValidationError saying why not."""
    error = quantity_errors([(product, quantity)], trade=trade).get(product.pk)
    if error:
        raise error
    return quantity


def _bounds_checked(product: Product, quantity: int, *, listed: bool, trade: bool = False) -> None:
    if not listed:
        raise ValidationError(_("This product is no longer on sale."), code="not_listed")
    if quantity < product.min_order_quantity:
        raise ValidationError(
            _("This product is sold by %(count)d at least.") % {"count": product.min_order_quantity}, code="below_minimum"
        )
    if trade:
        problem = case_pack_problem(quantity, case_pack=product.case_pack, minimum=product.min_order_quantity)
        if problem:
            raise ValidationError(problem, code="not_case_multiple")
    if not product.made_to_order and quantity > product.stock:
        raise ValidationError(
            _("Only %(count)d left in stock.") % {"count": product.stock} if product.stock else _("Sold out."),
            code="above_stock",
        )


class Basket:
    """One buyer's basket, whichever store holds it."""

    def __init__(self, request):
        self.request = request
        self.user = request.user if request.user.is_authenticated else None
        self.trade = trade_buyer_of(self.user) is not None

    def _session_lines(self) -> dict[str, int]:
        return dict(self.request.session.get(SESSION_KEY, {}))

    def lines(self) -> dict[int, int]:
        if self.user:
            return dict(BasketLine.objects.filter(user=self.user).values_list("product_id", "quantity"))
        return {int(product_id): quantity for product_id, quantity in self._session_lines().items()}

    def items(self) -> list[BasketItem]:
        lines = self.lines()
        products = Product.objects.filter(pk__in=lines).select_related("seller").prefetch_related("price_tiers").in_bulk()
        return [BasketItem(products[pk], quantity) for pk, quantity in lines.items() if pk in products]

    def set(self, product: Product, quantity: int) -> None:
        """Set a line's quantity (0 removes it); raises ValidationError, leaving the basket as it was."""
        if quantity <= 0:
            return self.remove(product)
        quantity_checked(product, quantity, trade=self.trade)
        lines = self.lines()
        if product.pk not in lines and len(lines) >= MAX_LINES:
            raise ValidationError(_("A basket holds %(count)d products at most.") % {"count": MAX_LINES}, code="too_many")
        if self.user:
            BasketLine.objects.update_or_create(user=self.user, product=product, defaults={"quantity": quantity})
        else:
            lines = self._session_lines()
            lines[str(product.pk)] = quantity
            self.request.session[SESSION_KEY] = lines
        self._counted()

    def add(self, product: Product, quantity: int) -> None:
        self.set(product, self.lines().get(product.pk, 0) + quantity)

    def clear(self) -> None:
        if self.user:
            BasketLine.objects.filter(user=self.user).delete()
        else:
            self.request.session[SESSION_KEY] = {}
        self._counted()

    def remove(self, product: Product) -> None:
        if self.user:
            BasketLine.objects.filter(user=self.user, product=product).delete()
        else:
            lines = self._session_lines()
            lines.pop(str(product.pk), None)
            self.request.session[SESSION_KEY] = lines
        self._counted()

    def _counted(self) -> None:
        # The header's count on shared pages comes from a cookie (config.personal_cookies).
        self.request.basket_count = len(self.lines())


@transaction.atomic
def basket_merge_at_login(*, session_lines: dict, user) -> list[str]:
    """Fold a visitor's session basket into the account's: quantities add up, bounded by what can be
    ordered. Returns a message for each line that had to change or go."""
    notes = []
    trade = trade_buyer_of(user) is not None
    products = Product.objects.filter(pk__in=[int(pk) for pk in session_lines]).select_related("seller").in_bulk()
    existing = dict(BasketLine.objects.filter(user=user).values_list("product_id", "quantity"))
    for product_id, quantity in session_lines.items():
        product = products.get(int(product_id))
        if product is None:
            continue
        wanted = existing.get(product.pk, 0) + int(quantity)
        if not product.made_to_order:
            wanted = min(wanted, product.stock)
        try:
            quantity_checked(product, wanted, trade=trade)
        except ValidationError as error:
            notes.append(" ".join(error.messages))
            continue
        BasketLine.objects.update_or_create(user=user, product=product, defaults={"quantity": wanted})
    return notes
