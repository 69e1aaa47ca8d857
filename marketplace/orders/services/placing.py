"""Placing an order: the basket's lines checked, priced in the buyer's currency at the stored rate, and
their stock taken.

Stock is taken with one conditional UPDATE per product (``stock >= quantity``), in product order, in
the placing transaction: whichever buyer's update runs second sees the first one's result, on
PostgreSQL and SQLite alike, so the last unit is sold once and the stock never goes below zero.
"""

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from catalog.models import Product
from catalog.offers import offer_problems_for
from config.public_urls import public_base_url
from currency.models import ExchangeRate
from currency.selectors import base_currency, display_currencies, exchange_rate, money_format, money_round
from customs.models import Incoterm
from customs.selectors import rule_snapshot
from customs.services import LandedCost, collection_number, consignments_of, landed_cost
from labels.selectors import product_titles
from marketplace.basket.services import quantity_errors
from marketplace.payments.interface import payment_provider, payment_providers
from marketplace.shipping.addresses import ShippingAddress, address_checked
from marketplace.shipping.countries import countries_excluded
from marketplace.shipping.services import QuoteLine, shipping_quote
from marketplace.trade.selectors import TradeBuyer, trade_buyer_of
from outbox.services import outbox_enqueue

from ..models import Order, OrderCharge, OrderLine, OrderShippingPart
from ..stock import stock_changed, stock_take
from ..trade_terms import part_minimums, reverse_charge_vat_number, unit_prices_for

logger = logging.getLogger(__name__)

REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read out over the phone


@dataclass(frozen=True)
class OrderRequest:
    """What the buyer asks for: product ids and quantities."""

    product_id: int
    quantity: int


def _reference_new(now: datetime) -> str:
    return f"SE{now:%y}-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))


class _AlreadyPlaced(Exception):  # noqa: N818 - a signal between two functions, not an error
    def __init__(self, order: Order):
        self.order = order


def order_place(*, requests: list[OrderRequest], email: str, user=None, address: ShippingAddress, currency: str,
                provider_name: str, language: str, placement_key: str = "", incoterm: str = Incoterm.DAP,
                now: datetime | None = None) -> Order:
    """Place an order: check it, price it in the buyer's currency at today's rate, with the duties and
    taxes of its destination (``incoterm``: DDP collects them now, DAP estimates them for delivery), and
    take the stock. A verified trade buyer's ``user`` buys on its company's terms: whole cases, the
    wholesale tier each quantity reaches, each seller's minimum (checked again inside the transaction),
    and no VAT where its VAT number puts the import VAT on it (reverse charge).

    With a ``placement_key`` (one checkout attempt), placing is idempotent: a repeated or concurrent
    call with the same key returns the order the first one placed, and takes no more stock.

    Raises ValidationError (nothing is saved and no stock is taken) for a bad email or address, an
    unserved destination, an unknown currency or payment method, or a product that cannot be ordered
    in that quantity any more.
    """
    now = now or timezone.now()
    placement_key = (placement_key or "")[:64] or None
    if placement_key:
        placed = Order.objects.filter(placement_key=placement_key).first()
        if placed:
            return placed
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid email address.")}) from None
    address = address_checked(address)
    if address.country in countries_excluded():  # never offered; a hand-made request may still name it
        raise ValidationError({"country": _("Choose a country.")})
    if currency not in display_currencies():
        raise ValidationError(_("Choose one of the currencies offered."), code="currency")
    try:
        provider = payment_provider(provider_name)
    except KeyError:
        raise ValidationError(_("Choose a payment method."), code="provider") from None
    quantities = {}
    for request in requests:
        quantities[request.product_id] = quantities.get(request.product_id, 0) + request.quantity
    if not quantities:
        raise ValidationError(_("The basket is empty."), code="empty")

    buyer = trade_buyer_of(user)
    products = (Product.objects.select_related("seller", "origin_region").prefetch_related("price_tiers")
                .in_bulk(list(quantities)))
    if len(products) != len(quantities):
        raise ValidationError(_("A product of the basket is no longer on sale."), code="not_listed")
    errors = quantity_errors(((products[product_id], quantity) for product_id, quantity in quantities.items()),
                             trade=buyer is not None)
    if errors:
        raise next(iter(errors.values()))
    quote = shipping_quote([QuoteLine(products[pk], quantity) for pk, quantity in quantities.items()],
                           address.country, today=timezone.localdate(now))
    problems = offer_problems_for([products[pk] for pk in quantities], address.country)
    if problems:
        raise next(iter(problems.values()))
    rate = exchange_rate(base_currency(), currency)
    rate_as_of = ExchangeRate.objects.filter(currency=currency).values_list("as_of", flat=True).first()
    unit_prices = unit_prices_for(((products[pk], q) for pk, q in quantities.items()), trade=buyer is not None)
    cost = landed_cost(consignments_of(((products[pk], q) for pk, q in quantities.items()), quote,
                                       unit_prices=unit_prices),
                       country=address.country, currency=currency, rate=rate, incoterm=incoterm,
                       business_buyer_vat_number=reverse_charge_vat_number(buyer))
    with translation.override(language):
        titles = product_titles(list(quantities))

    try:
        with transaction.atomic():
            if buyer is not None:
                _minimums_check(buyer, products=products, quantities=quantities, unit_prices=unit_prices,
                                currency=currency, rate=rate, language=language)
            # The order row first: a concurrent placement of the same attempt waits on its unique key
            # until this one commits, then returns this order, rather than racing it for the stock.
            order = _order_create(now, email=email, user=user, address=address, currency=currency, rate=rate,
                                  rate_as_of=rate_as_of, language=language, provider=provider, quote=quote,
                                  placement_key=placement_key, cost=cost, buyer=buyer)
            _order_fill(order, products=products, quantities=quantities, titles=titles, rate=rate,
                        currency=currency, quote=quote, provider=provider, cost=cost, unit_prices=unit_prices)
    except _AlreadyPlaced as placed:
        return placed.order
    return order


def _minimums_check(buyer: TradeBuyer, *, products, quantities, unit_prices, currency, rate, language) -> None:
    """Refuse a trade order with a seller's part under that seller's minimum, saying the shortfall in the
    buyer's currency; inside order_place's transaction, with the company's paid orders as they are now."""
    parts = part_minimums(((products[pk], q) for pk, q in quantities.items()), buyer=buyer, unit_prices=unit_prices)
    for part in parts:
        if part.shortfall > 0:
            raise ValidationError(
                _("Your order from %(seller)s comes to less than its minimum of %(minimum)s: add %(shortfall)s.")
                % {"seller": part.seller.legal_name,
                   "minimum": money_format(money_round(part.minimum * rate, currency), currency, language=language),
                   "shortfall": money_format(part.shortfall_in(currency, rate), currency, language=language)},
                code="below_seller_minimum")


def _order_fill(order: Order, *, products, quantities, titles, rate, currency, quote, provider,
                cost: LandedCost, unit_prices: dict) -> None:
    """Take the stock and write the order's lines, shipping parts and totals; inside order_place's transaction."""
    for product_id in sorted(quantities):
        if not products[product_id].made_to_order:
            title = titles.get(product_id, str(products[product_id]))
            stock_take(product_id, quantities[product_id], title)
            if provider.offline and order.user_id is None:
                _guest_hold_check(product_id, quantities[product_id], title)
    lines = []
    for product_id, quantity in sorted(quantities.items()):
        product = products[product_id]
        unit_price_base = unit_prices[product_id]
        unit_price = money_round(unit_price_base * rate, currency)
        lines.append(OrderLine(
            order=order, product=product, seller=product.seller, title=titles.get(product_id, str(product)),
            quantity=quantity, unit_price_base=unit_price_base, unit_price=unit_price,
            line_total=unit_price * quantity, hs_code=product.hs_code, hs_edition=product.hs_edition,
            weight_grams=product.weight_grams, origin_country=product.seller.country,
            made_to_order=product.made_to_order, personalised=product.personalised,
            stock_taken=not product.made_to_order,
        ))
    OrderLine.objects.bulk_create(lines)
    parts = []
    for part in quote.parts:
        consignment = cost.part(part.seller.pk)
        parts.append(OrderShippingPart(
            order=order, seller=part.seller, weight_grams=part.weight_grams, parcels=part.parcels,
            price_base=part.price, price=money_round(part.price * rate, currency), dispatch_by=part.dispatch_by,
            incoterm=consignment.incoterm, collection_scheme=consignment.collection_scheme,
            collection_number=collection_number(consignment.collection_scheme),
            charges_collected_base=consignment.collected_base, charges_collected=consignment.collected,
            charges_due_base=consignment.due_base, charges_due=consignment.due))
    OrderShippingPart.objects.bulk_create(parts)
    tax_name = cost.rule.tax_name if cost.rule else ""
    OrderCharge.objects.bulk_create([
        OrderCharge(order=order, seller_id=charge.key, kind=charge.kind,
                    label=tax_name if charge.kind in (OrderCharge.Kind.TAX, OrderCharge.Kind.REVERSE_CHARGE) else "",
                    rate=charge.rate,
                    hs_code=charge.hs_code, preferential=charge.preferential, rate_unknown=charge.rate_unknown,
                    amount_base=charge.amount_base, amount=charge.amount, collected_now=charge.collected_now,
                    collection_scheme=cost.part(charge.key).collection_scheme, country=cost.country)
        for charge in cost.charges])
    order.subtotal_base = sum((unit_prices[pk] * q for pk, q in quantities.items()), Decimal(0))
    order.shipping_base = quote.total
    order.charges_collected_base, order.charges_collected = cost.collected_base, cost.collected
    order.charges_due_base, order.charges_due = cost.due_base, cost.due
    order.total_base = order.subtotal_base + order.shipping_base + order.charges_collected_base
    order.subtotal = sum((line.line_total for line in lines), Decimal(0))
    order.shipping = sum((part.price for part in parts), Decimal(0))
    order.total = order.subtotal + order.shipping + order.charges_collected
    order.save(update_fields=["subtotal_base", "shipping_base", "total_base", "subtotal", "shipping", "total",
                              "charges_collected_base", "charges_collected", "charges_due_base", "charges_due"])
    stock_changed(pk for pk in quantities if not products[pk].made_to_order)
    if provider.offline:  # a card payment's first email is its confirmation
        _email_queue(order, "placed")


def _offline_providers() -> list[str]:
    return [name for name, provider in payment_providers().items() if provider.offline]


def _guest_hold_check(product_id: int, quantity: int, title: str) -> None:
    """Guests' orders awaiting a bank transfer together hold at most UNPAID_GUEST_HOLD_SHARE of a
    product's units (at least one), so that no stranger's unpaid order (anyone can place one, with any
    email) shows the product sold out for days. Buyers with an account, and card payments (paid at
    once, held an hour), are not limited. Runs after this order's stock_take, whose UPDATE locks the
    product's row until commit: a concurrent order for the same product waits there, then counts this
    one's lines."""
    unpaid = OrderLine.objects.filter(product_id=product_id, stock_taken=True,
                                      order__status=Order.Status.AWAITING_PAYMENT)
    guests = Q(order__user=None, order__payment_provider__in=_offline_providers())
    held = unpaid.aggregate(all=Sum("quantity"), guests=Sum("quantity", filter=guests))
    held_all, held = held["all"] or 0, held["guests"] or 0
    left = Product.objects.filter(pk=product_id).values_list("stock", flat=True).first() or 0
    share = Decimal(str(settings.UNPAID_GUEST_HOLD_SHARE))
    # Of the units not sold yet: on sale, or held by an unpaid order (this one's included).
    cap = max(1, int((left + quantity + held_all) * share))
    if held + quantity > cap:
        available = max(0, cap - held)
        raise ValidationError(
            _("“%(title)s”: only %(count)d can be reserved for payment by bank transfer now, as other orders "
              "await theirs. Pay by card, or order fewer.") % {"title": title, "count": available}
            if available else
            _("“%(title)s”: the units left are reserved by orders awaiting a bank transfer. Pay by card to "
              "buy it now.") % {"title": title},
            code="hold_cap",
        )


def _order_create(now, *, email, user, address, currency, rate, rate_as_of, language, provider, quote,
                  placement_key, cost: LandedCost, buyer: TradeBuyer | None = None) -> Order:
    fields = {
        "email": email.strip(), "user": user if user and user.is_authenticated else None, "language": language,
        "base_currency": base_currency(), "currency": currency, "exchange_rate": rate,
        "exchange_rate_as_of": rate_as_of, "subtotal_base": 0, "shipping_base": 0, "total_base": 0,
        "subtotal": 0, "shipping": 0, "total": 0,
        "ship_name": address.name, "ship_line1": address.line1, "ship_line2": address.line2,
        "ship_city": address.city, "ship_region": address.region, "ship_postal_code": address.postal_code,
        "ship_country": address.country, "ship_phone": address.phone, "delivery_by": quote.delivery_by,
        "payment_provider": provider.name, "pay_by": now + provider.hold,
        "incoterm": cost.incoterm, "customs_rule_code": cost.rule.code if cost.rule else "",
        "customs_rule_version": cost.rule_version, "customs_rule_snapshot": rule_snapshot(cost.rule),
        "customs_currency": cost.customs_currency, "customs_rate": cost.customs_rate,
        "trade_company_id": buyer.company_id if buyer else None, "buyer_vat_number": buyer.vat_number if buyer else "",
        "reverse_charge": cost.reverse_charge,
    }
    return _order_create_row(now, fields, placement_key=placement_key)


def _order_create_row(now, fields: dict, *, placement_key: str | None = None) -> Order:
    """Insert the order with a new reference (another one drawn if it was taken)."""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Order.objects.create(reference=_reference_new(now), placement_key=placement_key, **fields)
        except IntegrityError:
            # The same attempt placed meanwhile (committed: the insert waited for it), or else the
            # one-in-a-billion reference already given.
            placed = Order.objects.filter(placement_key=placement_key).first() if placement_key else None
            if placed:
                raise _AlreadyPlaced(placed) from None
            continue
    raise RuntimeError("no free order reference after 5 attempts")


def _email_queue(order: Order, kind: str) -> None:
    outbox_enqueue("marketplace.orders.tasks.order_email_send", order.pk, kind, public_base_url())


def _locked(order: Order) -> Order:
    return Order.objects.select_for_update().get(pk=order.pk)
