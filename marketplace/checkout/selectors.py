"""What the basket and checkout pages show: the lines priced in the buyer's currency and the shipping."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import get_language

from catalog.models import Product, ProductPage
from catalog.offers import offer_problems_for
from currency.selectors import base_currency, exchange_rate, money_convert
from customs.display import DutiesView, duties_view
from customs.models import Incoterm
from customs.selectors import withdrawal_days_for
from customs.services import LandedCost, consignments_of, landed_cost
from marketplace.basket.services import quantity_errors
from marketplace.shipping.services import QuoteLine, ShippingQuote, shipping_quote


@dataclass(frozen=True)
class PricedLine:
    product: Product
    quantity: int
    title: str
    url: str
    unit_price: Decimal
    line_total: Decimal
    problem: str = ""


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
        return bool(self.lines) and not any(line.problem for line in self.lines) and self.quote is not None


def _pages(product_ids, language: str) -> dict[int, ProductPage]:
    pages = {}
    for page in ProductPage.objects.live().filter(product_id__in=product_ids).select_related("locale"):
        if page.product_id not in pages or page.locale.language_code == language:
            pages[page.product_id] = page
    return pages


def basket_summary(items, *, currency: str, country: str = "", language: str | None = None,
                   incoterm: str = Incoterm.DDP) -> BasketSummary:
    """The basket's lines in ``currency`` with what stops any from being ordered, and the shipping to
    ``country`` (or why it cannot be shipped there) when one is given, with the duties and taxes there
    (``incoterm``: DDP collects them at checkout, DAP estimates them for delivery)."""
    language = language or get_language()
    pages = _pages([item.product.pk for item in items], language)
    errors = quantity_errors((item.product, item.quantity) for item in items)
    errors.update({pk: error for pk, error in offer_problems_for([item.product for item in items], country).items()
                   if pk not in errors})
    lines = []
    for item in items:
        problem = " ".join(errors[item.product.pk].messages) if item.product.pk in errors else ""
        unit_price = money_convert(item.product.price, to=currency).amount
        page = pages.get(item.product.pk)
        lines.append(PricedLine(item.product, item.quantity, page.title if page else str(item.product),
                                page.url if page else "", unit_price, unit_price * item.quantity, problem))
    summary = BasketSummary(currency=currency, lines=lines,
                            subtotal=sum((line.line_total for line in lines), Decimal(0)))
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
                                                     incoterm=incoterm)
            summary.withdrawal_days = withdrawal_days_for(country)
    return summary


def _duties(lines, quote, *, country, currency, incoterm) -> tuple[LandedCost, DutiesView]:
    cost = landed_cost(consignments_of(((line.product, line.quantity) for line in lines), quote),
                       country=country, currency=currency, rate=exchange_rate(base_currency(), currency),
                       incoterm=incoterm)
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
