"""Wholesale in the demo: price tiers and case packs on the demo sellers' products, their minimums, a
verified Dutch interior shop with the "trade" login, and an application awaiting the chamber."""

from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from catalog.models import Product, ProductPriceTier
from marketplace.trade.models import TradeCompany, TradeMember
from sellers.models import Seller

from .users import DEMO_SELLER_LOGINS

# Per demo seller: case pack, first-order and reorder minimums (MAD), made-to-order units a week.
TERMS = {
    "potter": (6, Decimal("3000"), Decimal("1500"), 40),
    "seller": (1, Decimal("5000"), Decimal("2500"), 4),
}
# Tiers as a share of the retail price, from the minimum order, 12 and 48 cases' worth of units.
TIER_SHARES = (Decimal("0.80"), Decimal("0.72"), Decimal("0.65"))
CENT = Decimal("0.01")


def _price(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _ensure_wholesale_terms():
    for login, (case_pack, first_minimum, reorder_minimum, capacity) in TERMS.items():
        seller = Seller.objects.get(legal_name=DEMO_SELLER_LOGINS[login])
        if seller.first_order_minimum == 0:
            Seller.objects.filter(pk=seller.pk).update(first_order_minimum=first_minimum,
                                                       reorder_minimum=reorder_minimum,
                                                       made_to_order_capacity=capacity)
        for product in Product.objects.filter(seller=seller).order_by("pk"):
            if product.price_tiers.exists():
                continue
            # The first tier starts at the minimum order (the catalogue's rule), the others at whole cases.
            first = product.min_order_quantity
            quantities = [first] + [quantity + -quantity % case_pack for quantity in (max(12, first + 1), max(48, first + 2))]
            ProductPriceTier.objects.bulk_create([
                ProductPriceTier(product=product, min_quantity=quantity, unit_price=_price(product.price * share))
                for quantity, share in zip(quantities, TIER_SHARES, strict=True)])
            Product.objects.filter(pk=product.pk).update(
                case_pack=case_pack, suggested_retail_price=_price(product.price * Decimal("1.10")))


def _ensure_trade_buyers():
    User = get_user_model()
    shop, _created = TradeCompany.objects.get_or_create(
        legal_name="Studio Noord Interieur B.V.",
        defaults={"country": "NL", "register_number": "81234567", "vat_number": "NL004495445B01",
                  "eori_number": "NL004495445", "website": "https://studio-noord.example", "language": "en",
                  "status": TradeCompany.Status.VERIFIED, "vat_valid": True, "vat_checked_at": timezone.now(),
                  "vat_check_source": "format", "verified_at": timezone.now()})
    trade = User.objects.get(username="trade")
    TradeMember.objects.get_or_create(user=trade, defaults={"company": shop, "role": TradeMember.Role.MANAGER})
    TradeCompany.objects.get_or_create(
        legal_name="Casa Alma Hoteles S.L.",
        defaults={"country": "ES", "register_number": "B12345678", "vat_number": "ESB12345674", "language": "fr",
                  "status": TradeCompany.Status.PENDING})
