"""Each seller's part of a paid order, from acceptance to delivery: who may act, in which order, what the
buyer is told, and the refund of a declined part, which is exactly that part and is never paid twice."""

import copy
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.models import ModelLogEntry

from catalog.models import Product
from marketplace.orders.models import Order, RefundState, SellerOrder
from marketplace.orders.selectors import order_url, seller_order_timeline
from marketplace.orders.services import (
    actions_open,
    order_paid,
    seller_order_accept,
    seller_order_decline,
    seller_order_deliver,
    seller_order_pack,
    seller_order_refund_record,
    seller_order_refund_retry,
    seller_order_refund_send,
    seller_order_ship,
    seller_orders_chase,
)
from marketplace.orders.tasks import seller_orders_chase_task
from marketplace.payments.models import Payment
from marketplace.payments.services import payment_event_process, payment_start
from marketplace.payments.stripe_provider import _provider_event
from sellers.roles import CHAMBER_STAFF_GROUP
from tests.factories.catalog import product_create, seller_pages
from tests.factories.orders import europe_zone, order_for
from tests.factories.sellers import SellerFactory, SellerMemberFactory, UserFactory
from tests.stripe_standin import StripeStandIn

pytestmark = pytest.mark.django_db
Status = SellerOrder.Status


@pytest.fixture
def shop(tree):
    """Two sellers, a member of each, chamber staff, and one product each."""
    europe_zone()
    chamber = Group.objects.get_or_create(name=CHAMBER_STAFF_GROUP)[0]
    chamber.permissions.add(*Permission.objects.filter(content_type__app_label="orders",
                                                       codename__in=["view_order", "change_order"]))
    staff = UserFactory(username="chamber", email="chamber@example.org")
    staff.groups.add(chamber)
    sellers = {letter: SellerFactory(legal_name=f"Cooperative {letter}") for letter in "AB"}
    members = {letter: SellerMemberFactory(seller=seller).user for letter, seller in sellers.items()}
    admin_access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    for user in (staff, *members.values()):  # as their groups give them once the chamber has verified them
        user.user_permissions.add(admin_access)
    return {
        "staff": staff,
        "sellers": sellers,
        "members": members,
        "rug": product_create(seller_pages(tree, sellers["A"]), title="Rug", price="1234.50", stock=5),
        "plate": product_create(seller_pages(tree, sellers["B"]), title="Plate", craft="1.03.02", hs_code="6912.00",
                                price="99.99", stock=40),
    }


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a service as a request would: what it queues on commit (emails, documents) runs after it."""
    def run(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)
    return run


def paid_offline(shop, rugs=1, plates=2):
    order = order_for((shop["rug"], rugs), (shop["plate"], plates))
    assert order_paid(order=order, amount=order.total, currency=order.currency) == "paid"
    return order


def part(order, shop, letter) -> SellerOrder:
    return SellerOrder.objects.get(order=order, seller=shop["sellers"][letter])


def stock(product) -> int:
    return Product.objects.get(pk=product.pk).stock


def buyer_mails(order):
    return [message for message in mail.outbox if message.to == [order.email]]


class TestTheSteps:
    def test_a_part_goes_from_accepted_to_delivered_and_the_buyer_hears_of_each_step(self, shop, committed):
        order = paid_offline(shop)
        a, member = part(order, shop, "A"), shop["members"]["A"]
        mail.outbox.clear()
        assert actions_open(member, a) == ["accept", "decline"]
        a = committed(seller_order_accept, seller_order=a, by=member)
        a = committed(seller_order_pack, seller_order=a, by=member, weight_grams=3400, parcels=2)
        a = committed(seller_order_ship, seller_order=a, by=member, carrier="Amana", tracking_number="RR123456789MA",
                      tracking_url="https://track.example/RR123456789MA")
        a = committed(seller_order_deliver, seller_order=a, by=member)
        a.refresh_from_db()
        assert a.status == Status.DELIVERED
        assert (a.packed_weight_grams, a.parcels, a.carrier, a.tracking_number) == (3400, 2, "Amana", "RR123456789MA")
        assert all((a.accepted_at, a.packed_at, a.shipped_at, a.delivered_at))
        subjects = [message.subject for message in buyer_mails(order)]
        assert len(subjects) == 4, subjects
        assert "preparing" in subjects[0] and "packed" in subjects[1] and "shipped" in subjects[2]
        shipped = buyer_mails(order)[2].body
        assert "RR123456789MA" in shipped and "https://track.example/RR123456789MA" in shipped
        assert order_url(order, absolute=True) in shipped
        logged = list(ModelLogEntry.objects.filter(object_id=str(a.pk)).values_list("action", flat=True))
        assert sorted(logged) == sorted(f"marketplace.seller_order_{action}"
                                        for action in ("accept", "pack", "ship", "deliver"))
        assert part(order, shop, "B").status == Status.AWAITING_ACCEPTANCE  # the other part is its seller's

    def test_steps_out_of_order_are_refused_and_change_nothing(self, shop):
        order = paid_offline(shop)
        a, member = part(order, shop, "A"), shop["members"]["A"]
        with pytest.raises(ValidationError, match="awaiting acceptance"):
            seller_order_ship(seller_order=a, by=member, carrier="DHL", tracking_number="1")
        with pytest.raises(ValidationError):
            seller_order_deliver(seller_order=a, by=member)
        seller_order_accept(seller_order=a, by=member)
        with pytest.raises(ValidationError, match="accepted"):
            seller_order_accept(seller_order=a, by=member)
        a.refresh_from_db()
        assert a.status == Status.ACCEPTED and a.shipped_at is None

    def test_only_the_sellers_members_act_and_staff_only_decline_or_deliver(self, shop):
        order = paid_offline(shop)
        a = part(order, shop, "A")
        with pytest.raises(PermissionDenied):
            seller_order_accept(seller_order=a, by=shop["members"]["B"])
        with pytest.raises(PermissionDenied):
            seller_order_accept(seller_order=a, by=shop["staff"])
        with pytest.raises(PermissionDenied):
            seller_order_decline(seller_order=a, by=UserFactory(), reason="no")
        assert actions_open(shop["members"]["B"], a) == []
        assert actions_open(shop["staff"], a) == ["decline"]
        a.refresh_from_db()
        assert a.status == Status.AWAITING_ACCEPTANCE

    @pytest.mark.parametrize(("fields", "errors"), [
        ({"weight_grams": 0, "parcels": 1}, {"weight_grams"}),
        ({"weight_grams": 1200, "parcels": 0}, {"parcels"}),
        ({"weight_grams": "12", "parcels": 100}, {"weight_grams", "parcels"}),
    ])
    def test_packing_needs_a_weight_and_parcels(self, shop, fields, errors):
        order = paid_offline(shop)
        a = seller_order_accept(seller_order=part(order, shop, "A"), by=shop["members"]["A"])
        with pytest.raises(ValidationError) as refused:
            seller_order_pack(seller_order=a, by=shop["members"]["A"], **fields)
        assert set(refused.value.message_dict) == errors
        a.refresh_from_db()
        assert a.status == Status.ACCEPTED and a.packed_weight_grams is None

    def test_shipping_needs_a_carrier_a_number_and_a_real_link(self, shop):
        order = paid_offline(shop)
        a = seller_order_accept(seller_order=part(order, shop, "A"), by=shop["members"]["A"])
        with pytest.raises(ValidationError) as refused:
            seller_order_ship(seller_order=a, by=shop["members"]["A"], carrier=" ", tracking_number="",
                              tracking_url="javascript:alert(1)")
        assert set(refused.value.message_dict) == {"carrier", "tracking_number", "tracking_url"}
        a.refresh_from_db()
        assert a.status == Status.ACCEPTED

    def test_the_timeline_shows_what_happened_and_what_comes(self, shop):
        order = paid_offline(shop)
        a = seller_order_accept(seller_order=part(order, shop, "A"), by=shop["members"]["A"])
        a = seller_order_ship(seller_order=a, by=shop["members"]["A"], carrier="DHL", tracking_number="JD0146")
        steps = seller_order_timeline(a)
        assert [step.label for step in steps] == ["Sent to the seller", "Accepted", "Shipped", "Delivered"]
        assert [step.at is not None for step in steps] == [True, True, True, False]
        assert "JD0146" in steps[2].detail
        b = seller_order_accept(seller_order=part(order, shop, "B"), by=shop["members"]["B"])
        assert [(step.label, step.at is not None) for step in seller_order_timeline(b)][1:3] == [
            ("Accepted", True), ("Packed", False)]


class TestDecliningOfflineOrders:
    def test_a_declined_part_returns_its_stock_and_awaits_the_chambers_transfer_back(self, shop, committed):
        order = paid_offline(shop, rugs=2, plates=3)
        rugs_left, plates_left = stock(shop["rug"]), stock(shop["plate"])
        b = committed(seller_order_decline, seller_order=part(order, shop, "B"), by=shop["members"]["B"],
                      reason="Kiln broke")
        assert b.status == Status.DECLINED and b.refund_state == RefundState.MANUAL and b.refunded == 0
        assert stock(shop["plate"]) == plates_left + 3 and stock(shop["rug"]) == rugs_left
        assert "Kiln broke" in buyer_mails(order)[-1].body and "transferred back" in buyer_mails(order)[-1].body
        with pytest.raises(PermissionDenied):
            seller_order_refund_record(seller_order=b, by=shop["members"]["B"])
        b = seller_order_refund_record(seller_order=b, by=shop["staff"], reference="VIR-2026-118")
        order.refresh_from_db()
        assert (b.refund_state, b.refunded, order.refunded) == (RefundState.SENT, b.total, b.total)
        assert order.status == Order.Status.PAID
        with pytest.raises(ValidationError):
            seller_order_refund_record(seller_order=b, by=shop["staff"])
        order.refresh_from_db()
        assert order.refunded == b.total

    def test_declining_needs_a_reason_and_a_second_decline_changes_nothing(self, shop):
        order = paid_offline(shop)
        b = part(order, shop, "B")
        with pytest.raises(ValidationError):
            seller_order_decline(seller_order=b, by=shop["members"]["B"], reason="  ")
        b.refresh_from_db()
        assert b.status == Status.AWAITING_ACCEPTANCE
        left = stock(shop["plate"])
        seller_order_decline(seller_order=b, by=shop["members"]["B"], reason="Sold out at the fair")
        with pytest.raises(ValidationError):
            seller_order_decline(seller_order=b, by=shop["members"]["B"], reason="again")
        assert stock(shop["plate"]) == left + 2  # given back once

    def test_when_every_part_is_declined_and_returned_the_order_is_refunded(self, shop):
        order = paid_offline(shop)
        for letter in "AB":
            declined = seller_order_decline(seller_order=part(order, shop, letter), by=shop["staff"], reason="Closed")
            seller_order_refund_record(seller_order=declined, by=shop["staff"])
        order.refresh_from_db()
        assert order.refunded == order.total and order.status == Order.Status.REFUNDED


# --- card orders: the part's refund goes through Stripe (a local stand-in) ---------------------------


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


def paid_by_card(stripe_api, *product_quantities, currency="EUR") -> Order:
    order = order_for(*product_quantities, currency=currency, provider="stripe")
    payment = payment_start(order=order, success_url="https://souk.example/paid", cancel_url="https://souk.example/no")
    session = stripe_api.session_pay(payment.reference)
    event = _provider_event(f"evt_{payment.reference}", "checkout.session.completed", session)
    assert payment_event_process(provider_name="stripe", event=event) == "paid"
    order.refresh_from_db()
    return order


def refunds_of(stripe_api, order) -> list[dict]:
    intent = Payment.objects.get(order=order, status=Payment.Status.SUCCEEDED).charge_reference
    return [refund for refund in stripe_api.refunds.values() if refund["payment_intent"] == intent]


def minor(amount: Decimal, currency: str) -> int:
    return int(amount * (1 if currency == "XAF" else 100))


class TestDecliningCardOrders:
    def test_a_decline_refunds_that_part_through_the_provider_once(self, stripe_api, shop, committed):
        order = paid_by_card(stripe_api, (shop["rug"], 1), (shop["plate"], 2))
        b = committed(seller_order_decline, seller_order=part(order, shop, "B"), by=shop["members"]["B"],
                      reason="Kiln broke")
        [refund] = refunds_of(stripe_api, order)
        assert refund["amount"] == minor(b.total, "EUR") and refund["currency"] == "eur"
        assert (b.refund_state, b.refunded, b.refund_reference) == (RefundState.SENT, b.total, refund["id"])
        assert f"{b.reference}-refund-1" in stripe_api._remembered  # the idempotency key of this part's refund
        assert seller_order_refund_send(seller_order=b).refund_state == RefundState.SENT
        assert len(refunds_of(stripe_api, order)) == 1
        # Stripe's charge.refunded then records the running total on the order, which stays paid.
        charge = {"object": "charge", "payment_intent": refund["payment_intent"], "currency": "eur",
                  "amount_refunded": refund["amount"], "metadata": {"order_reference": order.reference}}
        payment_event_process(provider_name="stripe", event=_provider_event("evt_refund", "charge.refunded", charge))
        order.refresh_from_db()
        assert order.refunded == b.total and order.status == Order.Status.PAID
        assert "refunded to your card" in buyer_mails(order)[-1].body

    def test_a_refused_refund_is_kept_for_staff_to_retry_and_is_paid_once(self, stripe_api, shop):
        order = paid_by_card(stripe_api, (shop["rug"], 1), (shop["plate"], 2))
        stripe_api.fail_next(402)
        b = seller_order_decline(seller_order=part(order, shop, "B"), by=shop["members"]["B"], reason="Kiln broke")
        assert b.status == Status.DECLINED and b.refund_state == RefundState.FAILED and b.refund_error
        assert b.refunded == 0 and refunds_of(stripe_api, order) == []
        with pytest.raises(PermissionDenied):
            seller_order_refund_retry(seller_order=b, by=shop["members"]["B"])
        b = seller_order_refund_retry(seller_order=b, by=shop["staff"])
        assert b.refund_state == RefundState.SENT and b.refund_attempts == 2
        assert [refund["amount"] for refund in refunds_of(stripe_api, order)] == [minor(b.total, "EUR")]
        with pytest.raises(ValidationError):
            seller_order_refund_retry(seller_order=b, by=shop["staff"])

    def test_a_retry_after_a_lost_answer_keeps_its_key_so_the_provider_refunds_once(self, stripe_api, shop):
        order = paid_by_card(stripe_api, (shop["rug"], 1), (shop["plate"], 2))
        b = seller_order_decline(seller_order=part(order, shop, "B"), by=shop["members"]["B"], reason="Kiln broke")
        # As if the process died after Stripe refunded but before the answer was saved.
        SellerOrder.objects.filter(pk=b.pk).update(refund_state=RefundState.SENDING, refund_reference="", refunded=0)
        b = seller_order_refund_retry(seller_order=SellerOrder.objects.get(pk=b.pk), by=shop["staff"])
        assert b.refund_state == RefundState.SENT and b.refunded == b.total
        assert len(refunds_of(stripe_api, order)) == 1

    def test_a_server_error_leaves_the_refund_unsettled_and_a_retry_keeps_its_key(self, stripe_api, shop):
        order = paid_by_card(stripe_api, (shop["rug"], 1), (shop["plate"], 2))
        stripe_api.fail_next(500)
        b = seller_order_decline(seller_order=part(order, shop, "B"), by=shop["members"]["B"], reason="Kiln broke")
        assert (b.refund_state, b.refund_attempts, b.refunded) == (RefundState.SENDING, 1, 0) and b.refund_error
        # Stripe remembers its 500 under the key: the retry gets it again and asks nothing new.
        b = seller_order_refund_retry(seller_order=b, by=shop["staff"])
        assert (b.refund_state, b.refund_attempts) == (RefundState.SENDING, 1)
        assert refunds_of(stripe_api, order) == []
        # Staff find it in the dashboard (or refund it there) and record it.
        b = seller_order_refund_record(seller_order=b, by=shop["staff"], reference="re_dashboard")
        assert (b.refund_state, b.refunded) == (RefundState.SENT, b.total)

    @settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(rugs=st.integers(min_value=0, max_value=3), plates=st.integers(min_value=0, max_value=5),
           declined=st.sets(st.sampled_from("AB")), currency=st.sampled_from(["EUR", "USD", "MAD", "XAF"]))
    def test_declines_refund_exactly_the_declined_parts(self, stripe_api, shop, rugs, plates, declined, currency):
        lines = [(product, quantity) for product, quantity in ((shop["rug"], rugs), (shop["plate"], plates)) if quantity]
        if not lines:
            return
        Product.objects.filter(pk__in=[shop["rug"].pk, shop["plate"].pk]).update(stock=100)
        order = paid_by_card(stripe_api, *lines, currency=currency)
        parts = {letter: SellerOrder.objects.filter(order=order, seller=shop["sellers"][letter]).first() for letter in "AB"}
        for letter in sorted(declined):
            if parts[letter]:
                seller_order_decline(seller_order=parts[letter], by=shop["members"][letter], reason="Cannot make it")
        expected = sorted(minor(parts[letter].total, currency) for letter in declined if parts[letter])
        assert sorted(refund["amount"] for refund in refunds_of(stripe_api, order)) == expected
        assert sum(expected) <= minor(order.total, currency)
        for letter, seller_order in parts.items():
            if seller_order:
                seller_order.refresh_from_db()
                assert seller_order.refunded == (seller_order.total if letter in declined else 0)


class TestChasing:
    def test_a_reminder_before_the_deadline_then_the_chamber_after_it_each_once(self, shop, committed):
        order = paid_offline(shop)
        a = part(order, shop, "A")
        seller_order_accept(seller_order=part(order, shop, "B"), by=shop["members"]["B"])
        mail.outbox.clear()
        assert committed(seller_orders_chase, now=a.accept_by - timedelta(hours=13)) == (0, 0)
        assert committed(seller_orders_chase, now=a.accept_by - timedelta(hours=11)) == (1, 0)
        assert committed(seller_orders_chase, now=a.accept_by - timedelta(hours=10)) == (0, 0)
        [reminder] = mail.outbox
        assert reminder.to == [shop["sellers"]["A"].email] and a.reference in reminder.subject
        assert seller_orders_chase_task.apply(kwargs={}).get() == (0, 0)  # not due yet, now
        assert committed(seller_orders_chase, now=a.accept_by + timedelta(minutes=1)) == (0, 1)
        assert committed(seller_orders_chase, now=a.accept_by + timedelta(hours=5)) == (0, 0)
        escalation = mail.outbox[-1]
        assert "chamber@example.org" in escalation.to and django_settings.CHAMBER_CONTACT_EMAIL in escalation.to
        assert "Cooperative A" in escalation.subject
        a.refresh_from_db()
        assert a.reminded_at and a.escalated_at


class TestTheSellersAdmin:
    def test_members_list_and_open_only_their_sellers_parts(self, client, shop):
        order = paid_offline(shop)
        a, b = part(order, shop, "A"), part(order, shop, "B")
        client.force_login(shop["members"]["A"])
        listing = client.get(reverse("seller_orders:index")).content.decode()
        assert a.reference in listing and b.reference not in listing
        assert client.get(reverse("seller_orders:inspect", args=[a.pk])).status_code == 200
        assert client.get(reverse("seller_orders:inspect", args=[b.pk])).status_code == 404
        response = client.post(reverse("seller_orders:act", args=[b.pk, "accept"]))
        assert response.status_code == 404
        b.refresh_from_db()
        assert b.status == Status.AWAITING_ACCEPTANCE

    def test_a_member_accepts_packs_and_ships_from_the_parts_page(self, client, shop):
        order = paid_offline(shop)
        a = part(order, shop, "A")
        client.force_login(shop["members"]["A"])
        page = client.get(reverse("seller_orders:inspect", args=[a.pk])).content.decode()
        assert 'data-action="accept"' in page and 'data-action="decline"' in page
        client.post(reverse("seller_orders:act", args=[a.pk, "accept"]))
        response = client.post(reverse("seller_orders:act", args=[a.pk, "pack"]),
                               {"pack-weight_grams": "abc", "pack-parcels": "1"}, follow=True)
        assert "Enter a whole number" in response.content.decode()
        client.post(reverse("seller_orders:act", args=[a.pk, "pack"]), {"pack-weight_grams": "3300", "pack-parcels": "1"})
        response = client.post(reverse("seller_orders:act", args=[a.pk, "ship"]),
                               {"ship-carrier": "Amana", "ship-tracking_number": "RR1MA",
                                "ship-tracking_url": "ftp://x"}, follow=True)
        assert "starting with https://" in response.content.decode()
        client.post(reverse("seller_orders:act", args=[a.pk, "ship"]),
                    {"ship-carrier": "Amana", "ship-tracking_number": "RR1MA", "ship-tracking_url": "https://t.example/RR1MA"})
        a.refresh_from_db()
        assert (a.status, a.packed_weight_grams, a.tracking_url) == (Status.SHIPPED, 3300, "https://t.example/RR1MA")

    def test_staff_see_every_part_and_the_stuck_ones(self, client, shop):
        order = paid_offline(shop)
        a, b = part(order, shop, "A"), part(order, shop, "B")
        SellerOrder.objects.filter(pk=a.pk).update(accept_by=timezone.now() - timedelta(hours=1))
        client.force_login(shop["staff"])
        listing = client.get(reverse("seller_orders:index")).content.decode()
        assert a.reference in listing and b.reference in listing
        stuck = client.get(reverse("seller_orders:index"), {"queue": "stuck"}).content.decode()
        assert a.reference in stuck and b.reference not in stuck
        home = client.get(reverse("wagtailadmin_home")).content.decode()
        assert "1 order part not accepted in time" in home

    def test_a_members_dashboard_counts_its_parts_to_accept(self, client, shop):
        paid_offline(shop)
        client.force_login(shop["members"]["A"])
        assert "1 order to accept or decline" in client.get(reverse("wagtailadmin_home")).content.decode()


class TestTheBuyersPage:
    def test_each_part_shows_its_timeline_tracking_link_and_refund(self, client, shop):
        order = paid_offline(shop)
        a = seller_order_accept(seller_order=part(order, shop, "A"), by=shop["members"]["A"])
        seller_order_ship(seller_order=a, by=shop["members"]["A"], carrier="Amana", tracking_number="RR9MA",
                          tracking_url="https://t.example/RR9MA")
        b = seller_order_decline(seller_order=part(order, shop, "B"), by=shop["members"]["B"], reason="Kiln broke")
        seller_order_refund_record(seller_order=b, by=shop["staff"])
        page = client.get(order_url(order)).content.decode()
        assert 'href="https://t.example/RR9MA"' in page and "Kiln broke" in page
        assert "Refunded for this part" in page and "Cooperative A" in page and "Cooperative B" in page
