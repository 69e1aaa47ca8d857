"""An order placed from a seller's accepted quote: the quoted lines at the quoted prices, the quoted
carriage, made in the quoted lead time, paid as a deposit (the quote's share of the total) then the
balance before shipping. From there it is an ordinary order: paid, split to its one seller, fulfilled,
documented and paid out as any other.

No duties or taxes are priced at checkout: under the quote's incoterm either the buyer clears the goods
(EXW, FCA, FOB, DAP) or the seller's price includes them (DDP). A verified company's valid VAT number
of a destination that lets businesses account for the import VAT puts the reverse-charge mention on the
invoice, as for a basket.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from currency.models import ExchangeRate
from currency.selectors import base_currency, display_currencies, exchange_rate, money_round
from customs.models import Incoterm
from customs.selectors import destination_rule_for
from customs.services import reverse_charge_applies
from marketplace.payments.interface import payment_provider
from marketplace.shipping.addresses import ShippingAddress, address_checked
from marketplace.shipping.countries import countries_excluded
from marketplace.trade.selectors import TradeBuyer

from ..models import Order, OrderLine, OrderShippingPart
from ..trade_terms import reverse_charge_vat_number
from .placing import _email_queue, _order_create_row


@dataclass(frozen=True)
class QuotedLine:
    title: str
    quantity: int
    unit_price_base: Decimal
    hs_code: str
    weight_grams: int
    product_id: int | None = None


@dataclass(frozen=True)
class QuotedOrder:
    """What a quote sells: one seller's lines, its carriage, its lead time and the deposit's share."""

    seller: object
    reference_note: str
    lines: list[QuotedLine]
    shipping_base: Decimal
    deposit_percent: int
    lead_time_days: int
    delivery_days: int
    duties_paid_by_seller: bool


def order_place_quoted(quoted: QuotedOrder, *, email: str, user, buyer: TradeBuyer | None, address: ShippingAddress,
                       currency: str, provider_name: str, language: str, now: datetime | None = None) -> Order:
    """Place the order of an accepted quote, in ``currency`` at today's rate. Runs inside the caller's
    transaction (the quote's acceptance), so a refused order leaves the quote open.

    Raises ValidationError for a bad email or address, an unserved destination, an unknown currency or
    payment method.
    """
    now = now or timezone.now()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid email address.")}) from None
    address = address_checked(address)
    if address.country in countries_excluded():
        raise ValidationError({"country": _("Choose a country.")})
    if currency not in display_currencies():
        raise ValidationError(_("Choose one of the currencies offered."), code="currency")
    try:
        provider = payment_provider(provider_name)
    except KeyError:
        raise ValidationError(_("Choose a payment method."), code="provider") from None
    if not quoted.lines:
        raise ValidationError(_("The quote has no lines."), code="empty")
    rate = exchange_rate(base_currency(), currency)
    rate_as_of = ExchangeRate.objects.filter(currency=currency).values_list("as_of", flat=True).first()
    today = timezone.localdate(now)
    dispatch_by = today + timedelta(days=quoted.lead_time_days)
    vat_number = reverse_charge_vat_number(buyer)
    reverse_charge = bool(vat_number) and reverse_charge_applies(destination_rule_for(address.country),
                                                                 address.country, vat_number)
    with transaction.atomic():
        order = _order_create_row(now, {
            "email": email.strip(), "user": user if user and user.is_authenticated else None, "language": language,
            "base_currency": base_currency(), "currency": currency, "exchange_rate": rate,
            "exchange_rate_as_of": rate_as_of, "subtotal_base": 0, "shipping_base": 0, "total_base": 0,
            "subtotal": 0, "shipping": 0, "total": 0,
            "ship_name": address.name, "ship_line1": address.line1, "ship_line2": address.line2,
            "ship_city": address.city, "ship_region": address.region, "ship_postal_code": address.postal_code,
            "ship_country": address.country, "ship_phone": address.phone,
            "delivery_by": dispatch_by + timedelta(days=quoted.delivery_days),
            "payment_provider": provider.name, "pay_by": now + provider.hold,
            "incoterm": Incoterm.DDP if quoted.duties_paid_by_seller else Incoterm.DAP,
            "trade_company_id": buyer.company_id if buyer else None,
            "buyer_vat_number": buyer.vat_number if buyer else "", "reverse_charge": reverse_charge,
        })
        lines = []
        for line in quoted.lines:
            unit_price = money_round(line.unit_price_base * rate, currency)
            lines.append(OrderLine(
                order=order, product_id=line.product_id, seller=quoted.seller, title=line.title[:255],
                quantity=line.quantity, unit_price_base=line.unit_price_base, unit_price=unit_price,
                line_total=unit_price * line.quantity, hs_code=line.hs_code, hs_edition="HS2022",
                weight_grams=line.weight_grams, origin_country=quoted.seller.country, made_to_order=True,
                personalised=False, stock_taken=False))
        OrderLine.objects.bulk_create(lines)
        weight = sum(line.weight_grams * line.quantity for line in quoted.lines)
        shipping = money_round(quoted.shipping_base * rate, currency)
        OrderShippingPart.objects.create(
            order=order, seller=quoted.seller, weight_grams=weight, parcels=1, price_base=quoted.shipping_base,
            price=shipping, dispatch_by=dispatch_by, incoterm=order.incoterm)
        order.subtotal_base = sum((line.unit_price_base * line.quantity for line in quoted.lines), Decimal(0))
        order.shipping_base = quoted.shipping_base
        order.total_base = order.subtotal_base + order.shipping_base
        order.subtotal = sum((line.line_total for line in lines), Decimal(0))
        order.shipping = shipping
        order.total = order.subtotal + order.shipping
        share = Decimal(quoted.deposit_percent) / 100
        order.deposit = money_round(order.total * share, currency) if 0 < quoted.deposit_percent < 100 else Decimal(0)
        order.deposit_base = money_round(order.total_base * share, order.base_currency) if order.deposit else Decimal(0)
        order.save(update_fields=["subtotal_base", "shipping_base", "total_base", "subtotal", "shipping", "total",
                                  "deposit", "deposit_base"])
        if provider.offline:
            _email_queue(order, "placed")
    return order
