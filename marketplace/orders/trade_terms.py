"""A trade buyer's terms on an order, as checkout shows them and order placement enforces them: the
wholesale unit prices its quantities reach, each seller's minimum (first order or reorder) and whether
the import VAT is the buyer's to account for (its VAT number)."""

from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from catalog.pricing import minimum_shortfall, seller_minimum, unit_price_for
from currency.selectors import currency_precision
from marketplace.trade.selectors import TradeBuyer

from .models import Order, OrderLine


@dataclass(frozen=True)
class PartMinimum:
    """One seller's part of a trade buyer's basket against that seller's minimum (base currency)."""

    seller: object
    first_order: bool
    minimum: Decimal
    subtotal: Decimal

    @property
    def shortfall(self) -> Decimal:
        return minimum_shortfall(self.subtotal, self.minimum)

    def shortfall_in(self, currency: str, rate: Decimal) -> Decimal:
        """The shortfall in the buyer's currency, rounded up: a part one cent short never reads "add 0.00"."""
        return (self.shortfall * rate).quantize(Decimal(1).scaleb(-currency_precision(currency)),
                                                rounding=ROUND_CEILING)


def trade_sellers_paid(company_id: int) -> set[int]:
    """The sellers the company has had a paid order from (its later orders are reorders)."""
    return set(OrderLine.objects.filter(order__trade_company_id=company_id, order__paid_at__isnull=False)
               .exclude(order__status=Order.Status.REFUNDED).values_list("seller_id", flat=True).distinct())


def unit_prices_for(product_quantities, *, trade: bool) -> dict[int, Decimal]:
    """The unit price (base currency) of each (product, quantity), by product id: retail, or the tier
    reached for a trade buyer."""
    return {product.pk: unit_price_for(product, quantity, trade=trade).unit_price
            for product, quantity in product_quantities}


def part_minimums(product_quantities, *, buyer: TradeBuyer, unit_prices: dict[int, Decimal]) -> list[PartMinimum]:
    """Each seller's part of the basket with its minimum for this buyer: the first-order minimum until
    the company has paid an order from the seller, the reorder minimum after."""
    paid = trade_sellers_paid(buyer.company_id)
    sellers, subtotals = {}, {}
    for product, quantity in product_quantities:
        sellers[product.seller_id] = product.seller
        subtotals[product.seller_id] = subtotals.get(product.seller_id, Decimal(0)) + unit_prices[product.pk] * quantity
    return [PartMinimum(seller=seller, first_order=seller_id not in paid,
                        minimum=seller_minimum(seller, first_order=seller_id not in paid),
                        subtotal=subtotals[seller_id])
            for seller_id, seller in sorted(sellers.items())]


def reverse_charge_vat_number(buyer: TradeBuyer | None) -> str:
    """The VAT number a trade buyer's import VAT may be reverse charged under: only a number found valid."""
    return buyer.vat_number if buyer is not None and buyer.vat_valid is True and buyer.vat_number else ""
