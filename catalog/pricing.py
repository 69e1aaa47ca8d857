"""What a product costs whom: the retail price for visitors and retail buyers, the wholesale tier a trade
buyer's quantity reaches, the next tier and what it saves, the case pack and the seller's minimums.

Plain functions over a product and its prefetched tiers, in the base currency; no query unless a
product's tiers were not prefetched. Converting to the buyer's currency is the caller's (currency).

Who is a verified trade buyer is the trade app's to say, which sits above the catalog: commerce
registers the answer at start-up (BasketConfig.ready), so product pages ask here, never the trade app.
"""

import math
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

_trade_buyer_source = None


def trade_buyer_source_register(source) -> None:
    """``source(user)`` returns the user's verified trade company's terms, or None (retail)."""
    global _trade_buyer_source
    _trade_buyer_source = source


def buys_wholesale(user) -> bool:
    """Whether ``user`` sees and pays wholesale prices: a member of a verified trade company."""
    if _trade_buyer_source is None or user is None or not user.is_authenticated:
        return False
    return _trade_buyer_source(user) is not None


@dataclass(frozen=True)
class Tier:
    min_quantity: int
    unit_price: Decimal


@dataclass(frozen=True)
class UnitPrice:
    """The unit price of a product for a quantity, and for a trade buyer the tier it reaches and the next."""

    unit_price: Decimal  # base currency
    wholesale: bool
    quantity: int = 0
    tier: Tier | None = None
    next_tier: Tier | None = None

    @property
    def units_to_next_tier(self) -> int | None:
        """How many more units reach the next tier."""
        return None if self.next_tier is None else self.next_tier.min_quantity - self.quantity

    @property
    def next_tier_saving(self) -> Decimal | None:
        """What each unit would cost less at the next tier (base currency)."""
        return None if self.next_tier is None else self.unit_price - self.next_tier.unit_price


@dataclass(frozen=True)
class WholesaleTerms:
    """What a trade buyer reads on a product page (base currency)."""

    tiers: list[Tier]
    case_pack: int
    first_quantity: int  # the least a trade buyer can order: the minimum, in whole cases
    suggested_retail_price: Decimal | None
    first_order_minimum: Decimal
    reorder_minimum: Decimal

    @property
    def tier_rows(self) -> list[tuple[int, int | None, Decimal]]:
        """(from, to or None for "and more", unit price) for each tier."""
        ends = [tier.min_quantity - 1 for tier in self.tiers[1:]] + [None]
        return [(tier.min_quantity, end, tier.unit_price) for tier, end in zip(self.tiers, ends, strict=True)]


def product_wholesale_terms(product) -> WholesaleTerms:
    """A product's wholesale tiers, case pack, suggested retail price and its seller's minimums."""
    seller = product.seller
    return WholesaleTerms(tiers=product_tiers(product), case_pack=product.case_pack,
                          first_quantity=case_pack_nearest(product.min_order_quantity, case_pack=product.case_pack,
                                                           minimum=product.min_order_quantity)[1],
                          suggested_retail_price=product.suggested_retail_price,
                          first_order_minimum=seller.first_order_minimum or Decimal(0),
                          reorder_minimum=seller.reorder_minimum or Decimal(0))


def product_tiers(product) -> list[Tier]:
    """The product's wholesale tiers, smallest quantity first (uses prefetched ``price_tiers``)."""
    return sorted((Tier(row.min_quantity, row.unit_price) for row in product.price_tiers.all()),
                  key=lambda tier: tier.min_quantity)


def unit_price_for(product, quantity: int, *, trade: bool, tiers: list[Tier] | None = None) -> UnitPrice:
    """The unit price of ``product`` for ``quantity``: the retail price unless ``trade`` (a verified trade
    buyer), then the price of the highest tier the quantity reaches; a product without tiers sells to
    trade buyers at its retail price."""
    if not trade:
        return UnitPrice(product.price, wholesale=False, quantity=quantity)
    tiers = product_tiers(product) if tiers is None else tiers
    reached = [tier for tier in tiers if tier.min_quantity <= quantity]
    following = [tier for tier in tiers if tier.min_quantity > quantity]
    tier = reached[-1] if reached else None
    return UnitPrice(tier.unit_price if tier else product.price, wholesale=True, quantity=quantity, tier=tier,
                     next_tier=following[0] if following else None)


def price_tiers_problems(tiers: list[Tier], *, min_order_quantity: int, retail_price: Decimal | None) -> list[str]:
    """What is wrong with a product's tiers, in words; empty when they hold: the first at the minimum
    order quantity, quantities increasing, unit prices decreasing, none above the retail price."""
    if not tiers:
        return []
    problems = []
    tiers = sorted(tiers, key=lambda tier: tier.min_quantity)
    if tiers[0].min_quantity != min_order_quantity:
        problems.append(_("The first tier must start at the minimum order quantity (%(count)d).")
                        % {"count": min_order_quantity})
    for lower, upper in zip(tiers, tiers[1:], strict=False):
        if upper.min_quantity == lower.min_quantity:
            problems.append(_("Two tiers start at %(count)d.") % {"count": upper.min_quantity})
        elif upper.unit_price >= lower.unit_price:
            problems.append(_("From %(count)d the unit price must be lower than below it.")
                            % {"count": upper.min_quantity})
    if retail_price is not None and tiers[0].unit_price > retail_price:
        problems.append(_("A wholesale price cannot be above the retail price."))
    if any(tier.unit_price <= 0 for tier in tiers):
        problems.append(_("A unit price must be more than 0."))
    return problems


def case_pack_nearest(quantity: int, *, case_pack: int, minimum: int = 1) -> tuple[int | None, int]:
    """The valid quantities either side of ``quantity``: the multiples of the case pack below (None when
    under the minimum) and above it."""
    case_pack = max(case_pack, 1)
    lower = quantity // case_pack * case_pack
    upper = lower if lower == quantity else lower + case_pack
    smallest = math.ceil(max(minimum, 1) / case_pack) * case_pack
    upper = max(upper, smallest)
    return (lower if lower >= smallest else None), upper


def case_pack_problem(quantity: int, *, case_pack: int, minimum: int = 1) -> str:
    """Why ``quantity`` cannot be ordered by the case, saying the nearest valid quantities; "" when it can."""
    if case_pack <= 1 or quantity % case_pack == 0:
        return ""
    lower, upper = case_pack_nearest(quantity, case_pack=case_pack, minimum=minimum)
    if lower is None:
        return _("Sold by cases of %(case)d: order %(upper)d.") % {"case": case_pack, "upper": upper}
    return _("Sold by cases of %(case)d: order %(lower)d or %(upper)d.") % {
        "case": case_pack, "lower": lower, "upper": upper}


def seller_minimum(seller, *, first_order: bool) -> Decimal:
    """The least a trade buyer's part from ``seller`` must come to (products, base currency); 0: none."""
    return (seller.first_order_minimum if first_order else seller.reorder_minimum) or Decimal(0)


def minimum_shortfall(subtotal: Decimal, minimum: Decimal) -> Decimal:
    """How much a part still needs to reach the minimum (base currency); 0 when it does."""
    return max(minimum - subtotal, Decimal(0))


def made_to_order_weeks(quantity: int, *, capacity_per_week: int | None) -> int:
    """The weeks of making a made-to-order quantity adds to the lead time: ceil(quantity / capacity);
    0 when the seller gave no capacity."""
    if not capacity_per_week:
        return 0
    return math.ceil(quantity / capacity_per_week)
