"""What the basket and checkout pages show: the lines priced in the buyer's currency and the shipping."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import get_language

from catalog.models import Product, ProductPage
from catalog.offers import offer_problems_for
from catalog.pricing import case_pack_nearest, unit_price_for
from currency.selectors import base_currency, exchange_rate, money_convert
from customs.display import DutiesView, duties_view
from customs.models import Incoterm
from customs.selectors import withdrawal_days_for
from customs.services import LandedCost, consignments_of, landed_cost
from marketplace.basket.services import quantity_errors
from marketplace.orders.trade_terms import PartMinimum, part_minimums, reverse_charge_vat_number
from marketplace.shipping.services import QuoteLine, ShippingQuote, shipping_quote
from marketplace.trade.selectors import TradeBuyer


@dataclass(frozen=True)
class PricedLine:
    product: Product
    quantity: int
    title: str
    url: str
    unit_price: Decimal
    line_total: Decimal
    problem: str = ""
    # A trade buyer's line: the tier its quantity reached, and what the next tier would save.
    wholesale: bool = False
    tier_min_quantity: int | None = None
    next_tier_units: int | None = None  # how many more units reach it
    next_tier_unit_price: Decimal | None = None  # in the buyer's currency
    next_tier_saving: Decimal | None = None  # a unit, in the buyer's currency

    @property
    def case_pack(self) -> int:
        """The quantity input's step: whole cases for a trade buyer, single units for anyone else."""
        return self.product.case_pack if self.wholesale else 1

    @property
    def min_quantity(self) -> int:
        """The quantity input's minimum, which is also the base of its steps in the browser: the minimum
        order in whole cases for a trade buyer (min 1 and step 6 would accept 7 and refuse 12)."""
        if not self.wholesale:
            return self.product.min_order_quantity
        return case_pack_nearest(self.product.min_order_quantity, case_pack=self.case_pack,
                                 minimum=self.product.min_order_quantity)[1]


@dataclass(frozen=True)
class SellerMinimumView:
    """A seller's part of a trade buyer's basket against its minimum, in the buyer's currency."""

    seller_name: str
    first_order: bool
    minimum: Decimal
    subtotal: Decimal
    shortfall: Decimal


@dataclass
class BasketSummary:
    currency: str
    lines: list[PricedLine]
    subtotal: Decimal = Decimal(0)
    quote: ShippingQuote | None = None
    shipping: Decimal | None = None
    shipping_problem: str = ""
    shipping_parts: list = field(default_factory=list)  # (part, price in the buyer's currency)
    landed: LandedCost | None = None
    duties: DutiesView | None = None
    withdrawal_days: int | None = None  # the destination's legal right of withdrawal, None: sellers' policies
    trade: bool = False  # a verified trade buyer's basket: wholesale prices, cases and minimums
    minimums: list[SellerMinimumView] = field(default_factory=list)

    @property
    def shortfalls(self) -> list[SellerMinimumView]:
        return [part for part in self.minimums if part.shortfall > 0]

    @property
    def withdrawal_excepted(self) -> list[PricedLine]:
        """Lines the legal right of withdrawal does not cover: made to order or personalised."""
        return [line for line in self.lines if line.product.made_to_order or line.product.personalised]

    @property
    def seller_policies(self) -> list[tuple[str, str]]:
        """(seller, its return policy) for the sellers of the basket, where the law gives no window."""
        sellers = {line.product.seller_id: line.product.seller for line in self.lines}
        return [(seller.legal_name, seller.return_policy) for seller in sellers.values()]

    @property
    def total(self) -> Decimal | None:
        """What the buyer pays now: goods, shipping and the duties and taxes collected at checkout."""
        if self.shipping is None:
            return None
        return self.subtotal + self.shipping + (self.duties.collected if self.duties else Decimal(0))

    @property
    def seller_count(self) -> int:
        return len({line.product.seller_id for line in self.lines})

    @property
    def orderable(self) -> bool:
        return (bool(self.lines) and not any(line.problem for line in self.lines) and self.quote is not None
                and not self.shortfalls)


def _pages(product_ids, language: str) -> dict[int, ProductPage]:
    pages = {}
    for page in ProductPage.objects.live().filter(product_id__in=product_ids).select_related("locale"):
        if page.product_id not in pages or page.locale.language_code == language:
            pages[page.product_id] = page
    return pages


def basket_summary(items, *, currency: str, country: str = "", language: str | None = None,
                   incoterm: str = Incoterm.DDP, buyer: TradeBuyer | None = None) -> BasketSummary:
    """The basket's lines in ``currency`` with what stops any from being ordered, and the shipping to
    ``country`` (or why it cannot be shipped there) when one is given, with the duties and taxes there
    (``incoterm``: DDP collects them at checkout, DAP estimates them for delivery).

    For a verified trade ``buyer``: wholesale prices at the tier each quantity reaches, the next tier's
    saving, whole cases, each seller's minimum and its shortfall (a part short of it is not orderable),
    and no VAT where the buyer's VAT number makes it the buyer's to account for."""
    language = language or get_language()
    trade = buyer is not None
    pages = _pages([item.product.pk for item in items], language)
    errors = quantity_errors(((item.product, item.quantity) for item in items), trade=trade)
    errors.update({pk: error for pk, error in offer_problems_for([item.product for item in items], country).items()
                   if pk not in errors})
    lines, unit_prices = [], {}
    for item in items:
        problem = " ".join(errors[item.product.pk].messages) if item.product.pk in errors else ""
        price = unit_price_for(item.product, item.quantity, trade=trade)
        unit_prices[item.product.pk] = price.unit_price
        unit_price = money_convert(price.unit_price, to=currency).amount
        following = price.next_tier
        next_price = money_convert(following.unit_price, to=currency).amount if following else None
        page = pages.get(item.product.pk)
        lines.append(PricedLine(
            item.product, item.quantity, page.title if page else str(item.product), page.url if page else "",
            unit_price, unit_price * item.quantity, problem, wholesale=trade,
            tier_min_quantity=price.tier.min_quantity if price.tier else None,
            next_tier_units=price.units_to_next_tier, next_tier_unit_price=next_price,
            next_tier_saving=unit_price - next_price if following else None))
    summary = BasketSummary(currency=currency, lines=lines, trade=trade,
                            subtotal=sum((line.line_total for line in lines), Decimal(0)))
    if trade and lines:
        rate = exchange_rate(base_currency(), currency)
        summary.minimums = [_minimum_view(part, currency=currency, rate=rate) for part in part_minimums(
            ((item.product, item.quantity) for item in items), buyer=buyer, unit_prices=unit_prices)
            if part.minimum > 0]
    if country and lines:
        try:
            summary.quote = shipping_quote([QuoteLine(line.product, line.quantity) for line in lines], country)
        except ValidationError as error:
            summary.shipping_problem = " ".join(error.messages)
        else:
            summary.shipping_parts = [(part, money_convert(part.price, to=currency).amount)
                                      for part in summary.quote.parts]
            summary.shipping = sum((price for _part, price in summary.shipping_parts), Decimal(0))
            summary.landed, summary.duties = _duties(lines, summary.quote, country=country, currency=currency,
                                                     incoterm=incoterm, unit_prices=unit_prices,
                                                     vat_number=reverse_charge_vat_number(buyer))
            # The legal right of withdrawal is a consumer's (Directive 2011/83/EU art. 2(1), 9): a trade
            # buyer gets the sellers' own return policies.
            summary.withdrawal_days = None if trade else withdrawal_days_for(country)
    return summary


def _minimum_view(part: PartMinimum, *, currency: str, rate: Decimal) -> SellerMinimumView:
    return SellerMinimumView(seller_name=part.seller.legal_name, first_order=part.first_order,
                             minimum=money_convert(part.minimum, to=currency).amount,
                             subtotal=money_convert(part.subtotal, to=currency).amount,
                             shortfall=part.shortfall_in(currency, rate))


def _duties(lines, quote, *, country, currency, incoterm, unit_prices=None,
            vat_number: str = "") -> tuple[LandedCost, DutiesView]:
    cost = landed_cost(consignments_of(((line.product, line.quantity) for line in lines), quote,
                                       unit_prices=unit_prices),
                       country=country, currency=currency, rate=exchange_rate(base_currency(), currency),
                       incoterm=incoterm, business_buyer_vat_number=vat_number)
    names = {part.seller.pk: part.seller.legal_name for part in quote.parts}
    view = duties_view(currency=currency, known=cost.known, incoterm=cost.incoterm, charges=cost.charges,
                       parts=[(part.key, part.incoterm, part.collection_scheme) for part in cost.consignments],
                       seller_names=names, tax_name=cost.rule.tax_name if cost.rule else "",
                       choice_offered=cost.choice_offered)
    return cost, view


# A signed-in buyer's saved addresses come from the accounts app, which sits above commerce and
# registers its source at start-up (AccountsConfig.ready), so checkout never imports it.
_saved_address_source = None


def saved_address_source_register(source) -> None:
    """``source(user)`` returns the user's saved addresses as [(id, label, {form field: value})], default first."""
    global _saved_address_source
    _saved_address_source = source


def saved_addresses_for_checkout(user) -> list[tuple[int, str, dict]]:
    if _saved_address_source is None or not user.is_authenticated:
        return []
    return _saved_address_source(user)
