"""A French buyer's delivered order from one cooperative: a rug, plates, a personalised cushion and a
made-to-order lamp; members, another seller's member and chamber staff."""

import copy
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from customs.services import duty_rates_refresh, sample_rules_load
from marketplace.orders.models import Order, SellerOrder
from marketplace.orders.services import order_paid
from marketplace.payments.services import payment_event_process, payment_start
from marketplace.payments.stripe_provider import _provider_event
from marketplace.shipping.addresses import ShippingAddress
from sellers.roles import CHAMBER_STAFF_GROUP
from tests.factories.catalog import eu_offer_ready, product_create, seller_pages
from tests.factories.orders import europe_zone, order_for, world_zone
from tests.factories.sellers import SellerFactory, SellerMemberFactory, UserFactory
from tests.stripe_standin import StripeStandIn

NEW_YORK = ShippingAddress(name="Sam Lee", line1="350 Fifth Avenue", line2="", city="New York", region="NY",
                           postal_code="10118", country="US", phone="+1 212 736 3100")


@pytest.fixture
def shop(tree):
    sample_rules_load()
    duty_rates_refresh()
    europe_zone()
    world_zone()
    chamber = Group.objects.get_or_create(name=CHAMBER_STAFF_GROUP)[0]
    chamber.permissions.add(*Permission.objects.filter(content_type__app_label="orders",
                                                       codename__in=["view_order", "change_order"]))
    staff = UserFactory(username="chamber", email="chamber@example.org")
    staff.groups.add(chamber)
    seller = SellerFactory(legal_name="Cooperative A", return_address="Derb 12, Fes, Morocco", language="fr")
    other = SellerFactory(legal_name="Cooperative B")
    member, other_member = SellerMemberFactory(seller=seller).user, SellerMemberFactory(seller=other).user
    admin_access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    for user in (staff, member, other_member):
        user.user_permissions.add(admin_access)
    pages = seller_pages(tree, seller)
    products = {
        "rug": product_create(pages, title="Rug", price="1000", stock=5),
        "plate": product_create(pages, title="Plate", craft="1.03.02", hs_code="6912.00", price="100", stock=40),
        "cushion": product_create(pages, title="Cushion", price="300", stock=10, personalised=True),
        "lamp": product_create(pages, title="Lamp", craft="1.05.01", hs_code="9405.11", price="800", stock=0,
                               made_to_order=True, lead_time_days=10),
    }
    eu_offer_ready(*products.values())  # sold to the EU: their product-safety information is given
    seller.refresh_from_db()
    return {"seller": seller, "member": member, "other_member": other_member, "staff": staff, **products}


def deliver(order: Order, *, days_ago: int = 1) -> SellerOrder:
    """The order's one part, delivered ``days_ago`` days ago."""
    [part] = order.seller_orders.all()
    SellerOrder.objects.filter(pk=part.pk).update(status=SellerOrder.Status.DELIVERED,
                                                  delivered_at=timezone.now() - timedelta(days=days_ago))
    part.refresh_from_db()
    return part


def delivered_order(*product_quantities, days_ago: int = 1, address=None, incoterm="DDP", currency="EUR") -> SellerOrder:
    """An order paid by bank transfer (refunds go back by transfer, recorded by staff)."""
    kwargs = {"address": address} if address else {}
    order = order_for(*product_quantities, currency=currency, incoterm=incoterm, **kwargs)
    assert order_paid(order=order, amount=order.total, currency=order.currency) == "paid"
    return deliver(order, days_ago=days_ago)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    def run(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)
    return run


# --- card orders: refunds through Stripe (a local stand-in) -------------------------------------


@pytest.fixture(scope="module")
def stripe_server():
    with StripeStandIn() as standin:
        yield standin


@pytest.fixture
def stripe_api(stripe_server, settings):
    settings.PAYMENT_PROVIDERS = {
        "stripe": {"BACKEND": "marketplace.payments.stripe_provider.StripeProvider",
                   "OPTIONS": {"SECRET_KEY": "sk_test_standin", "WEBHOOK_SECRET": "whsec_test",
                               "API_BASE": stripe_server.url, "NETWORK_RETRIES": 0}},
        "offline": copy.deepcopy(django_settings.PAYMENT_PROVIDERS["offline"]),
    }
    stripe_server._failures.clear()
    return stripe_server


def delivered_by_card(stripe_api, *product_quantities, days_ago=1) -> SellerOrder:
    """Paid by card from the US, duties due on delivery: Stripe's checkout session does not carry duties and
    taxes collected at checkout yet (reported to the lead), so a card order here collects none."""
    order = order_for(*product_quantities, currency="EUR", provider="stripe", incoterm="DAP", address=NEW_YORK)
    assert order.charges_collected == 0
    payment = payment_start(order=order, success_url="https://souk.example/paid", cancel_url="https://souk.example/no")
    session = stripe_api.session_pay(payment.reference)
    event = _provider_event(f"evt_{payment.reference}", "checkout.session.completed", session)
    assert payment_event_process(provider_name="stripe", event=event) == "paid"
    order.refresh_from_db()
    return deliver(order, days_ago=days_ago)
