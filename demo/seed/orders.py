"""A few orders of the demo buyer, at every stage of their routing."""

from django.contrib.auth import get_user_model

from catalog.models import (
    Product,
)
from marketplace.orders.models import Order
from marketplace.orders.services import (
    OrderRequest,
    order_paid,
    order_place,
    seller_order_accept,
    seller_order_decline,
    seller_order_deliver,
    seller_order_pack,
    seller_order_refund_record,
    seller_order_ship,
)
from marketplace.returns.services import (
    return_authorise,
    return_receive,
    return_refund_record,
    return_request_create,
    return_send,
)
from marketplace.shipping.addresses import ShippingAddress

from .users import DEMO_SELLER_LOGINS


def _ensure_orders():
    """A few orders of the demo buyer across the two demo sellers, at every stage of their routing,
    made through the order, payment and fulfilment services. Once: skipped when any order exists."""
    if Order.objects.exists():
        return
    User = get_user_model()
    buyer, staff = User.objects.get(username="buyer"), User.objects.get(username="staff")
    members = {username: User.objects.get(username=username) for username in DEMO_SELLER_LOGINS}
    products = {}
    for username, legal_name in DEMO_SELLER_LOGINS.items():
        product = (Product.objects.filter(seller__legal_name=legal_name, made_to_order=False)
                   .order_by("pk").first())
        if product is None:
            return
        Product.objects.filter(pk=product.pk, stock__lt=10).update(stock=10)  # enough for the demo orders
        products[username] = product
    address = ShippingAddress(name="Camille Martin", line1="12 rue des Archives", line2="", city="Paris", region="",
                              postal_code="75004", country="FR", phone="+33 1 23 45 67 89")
    orders = []
    for _number in range(3):
        order = order_place(
            requests=[OrderRequest(product.pk, product.min_order_quantity) for product in products.values()],
            email=buyer.email, user=buyer, address=address, currency="EUR", provider_name="offline", language="en",
        )
        orders.append(order)
    for order in orders[:2]:
        order_paid(order=order, amount=order.total, currency=order.currency)
    # The first order is under way: one part shipped, the other declined and returned. The second waits
    # for both sellers to accept it, the third for its bank transfer.
    by_seller = {part.seller.legal_name: part for part in orders[0].seller_orders.select_related("seller")}
    shipped = by_seller[DEMO_SELLER_LOGINS["seller"]]
    shipped = seller_order_accept(seller_order=shipped, by=members["seller"])
    shipped = seller_order_pack(seller_order=shipped, by=members["seller"], weight_grams=3600, parcels=1)
    seller_order_ship(seller_order=shipped, by=members["seller"], carrier="Amana", tracking_number="RR000123456MA",
                      tracking_url="https://www.poste.ma/")
    declined = seller_order_decline(seller_order=by_seller[DEMO_SELLER_LOGINS["potter"]], by=members["potter"],
                                    reason="The kiln is being repaired; we cannot fire this order in time.")
    seller_order_refund_record(seller_order=declined, by=staff, reference="DEMO-RETURN-1")
    _ensure_cross_border_orders()
    _ensure_returned_order(members, staff)


CROSS_BORDER_BUYERS = [
    # (email, address, currency, incoterm, the product's price in the base currency: under or over, and the limit)
    ("camille.lyon@example.fr",
     ShippingAddress(name="Camille Bernard", line1="8 rue de la République", line2="", city="Lyon", region="",
                     postal_code="69002", country="FR", phone="+33 4 72 00 00 00"),
     "EUR", "DDP", "under", 1500),
    ("camille.lyon@example.fr",
     ShippingAddress(name="Camille Bernard", line1="8 rue de la République", line2="", city="Lyon", region="",
                     postal_code="69002", country="FR", phone="+33 4 72 00 00 00"),
     "EUR", "DAP", "over", 1700),
    ("sam.nyc@example.com",
     ShippingAddress(name="Sam Lee", line1="350 Fifth Avenue", line2="", city="New York", region="NY",
                     postal_code="10118", country="US", phone="+1 212 736 3100"),
     "USD", "DDP", "under", 100000),
]


def _ensure_cross_border_orders():
    """Guests abroad: a rug to Lyon under EUR 150 (VAT collected under IOSS), a piece over it with the
    duties and taxes left for delivery (DAP), and a parcel to New York with its duties paid (DDP); all
    paid. Needs the sample destination rules (demo.seed.shipping)."""
    for email, address, currency, incoterm, side, limit in CROSS_BORDER_BUYERS:
        products = Product.objects.filter(made_to_order=False, stock__gte=1, seller__status="verified",
                                          min_order_quantity=1)
        products = products.filter(price__lte=limit).order_by("-price") if side == "under" else \
            products.filter(price__gt=limit).order_by("price")
        product = products.first()
        if product is None:
            continue
        order = order_place(requests=[OrderRequest(product.pk, 1)], email=email, address=address, currency=currency,
                            provider_name="offline", language="fr" if address.country == "FR" else "en",
                            incoterm=incoterm)
        order_paid(order=order, amount=order.total, currency=order.currency)


def _ensure_returned_order(members: dict, staff) -> None:
    """A consumer in Lyon withdrew from one line of a delivered order within the 14 days: the demo seller
    authorised the return, received it, and staff recorded the refund made by bank transfer."""
    legal_name = DEMO_SELLER_LOGINS["seller"]
    # 4 in stock at least: a guest's order awaiting a bank transfer may hold only half of them (2).
    product = (Product.objects.filter(seller__legal_name=legal_name, made_to_order=False, stock__gte=4,
                                      min_order_quantity=1).order_by("price").first())
    if product is None:
        return
    lyon = CROSS_BORDER_BUYERS[0][1]
    order = order_place(requests=[OrderRequest(product.pk, 2)], email="camille.lyon@example.fr", address=lyon,
                        currency="EUR", provider_name="offline", language="fr", incoterm="DDP")
    order_paid(order=order, amount=order.total, currency=order.currency)
    member = members["seller"]
    (part,) = order.seller_orders.all()
    part = seller_order_accept(seller_order=part, by=member)
    part = seller_order_pack(seller_order=part, by=member, weight_grams=product.weight_grams * 2 + 300, parcels=1)
    part = seller_order_ship(seller_order=part, by=member, carrier="Amana", tracking_number="RR000777888MA")
    part = seller_order_deliver(seller_order=part, by=member)
    line = part.lines.get()
    request = return_request_create(seller_order=part, quantities={line.pk: 1}, reason="La couleur ne va pas.")
    request = return_authorise(return_request=request, by=member)
    request = return_send(return_request=request, carrier="La Poste", tracking_number="6A12345678901")
    request = return_receive(return_request=request, by=member, condition_notes="Intact, in its wrapping.")
    return_refund_record(return_request=request, by=staff, reference="DEMO-WITHDRAWAL-1")
