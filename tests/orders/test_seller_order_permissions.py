"""One rule decides who may do what with a seller's part of an order (orders/permissions.py): the admin's
permission policy, the fulfilment steps, the documents, refunds and recorded bank transfers all ask it."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group, Permission

from marketplace.orders.document_views import can_download_documents
from marketplace.orders.models import SellerOrder
from marketplace.orders.permissions import SellerOrderPolicy, order_payment_recorder, seller_order_permissions
from marketplace.orders.services import actions_open, order_paid
from sellers.roles import CHAMBER_STAFF_GROUP
from tests.factories.catalog import product_create, seller_pages
from tests.factories.orders import europe_zone, order_for
from tests.factories.sellers import SellerFactory, SellerMemberFactory, UserFactory

pytestmark = pytest.mark.django_db
STEPS = {"accept", "decline", "pack", "ship", "deliver"}


@pytest.fixture
def part(tree):
    europe_zone()
    seller = SellerFactory()
    rug = product_create(seller_pages(tree, seller), title="Rug", price="1234.50", stock=5)
    order = order_for((rug, 1))
    assert order_paid(order=order, amount=order.total, currency=order.currency) == "paid"
    return SellerOrder.objects.get(order=order)


def staff_with(*codenames):
    user = UserFactory()
    group = Group.objects.get_or_create(name=f"{CHAMBER_STAFF_GROUP} {'+'.join(codenames)}")[0]
    group.permissions.add(*Permission.objects.filter(content_type__app_label="orders", codename__in=codenames))
    user.groups.add(group)
    return user


class TestTheRule:
    def test_the_parts_sellers_members_see_it_and_take_its_steps_but_follow_no_refund(self, part):
        member = SellerMemberFactory(seller=part.seller).user
        assert seller_order_permissions(member, part) == {"view", *STEPS}

    def test_a_member_of_another_seller_may_do_nothing(self, part):
        stranger = SellerMemberFactory(seller=SellerFactory()).user
        assert seller_order_permissions(stranger, part) == frozenset()
        assert not SellerOrderPolicy(SellerOrder).user_has_permission_for_instance(stranger, "view", part)

    def test_chamber_staff_decline_deliver_and_follow_refunds_and_see_it_with_view_order(self, part):
        assert seller_order_permissions(staff_with("change_order"), part) == {"decline", "deliver", "refund"}
        assert seller_order_permissions(staff_with("view_order", "change_order"), part) == {
            "view", "decline", "deliver", "refund"}
        assert seller_order_permissions(staff_with("view_order"), part) == {"view"}

    def test_nobody_cancels_a_part_from_the_admin_and_anonymous_does_nothing(self, part):
        superuser = UserFactory(is_superuser=True)
        assert "cancel" not in seller_order_permissions(superuser, part)
        assert seller_order_permissions(superuser, part) >= {"view", "refund", *STEPS}
        assert seller_order_permissions(AnonymousUser(), part) == frozenset()


class TestEveryCheckAsksTheRule:
    @pytest.mark.parametrize("who", ["member", "stranger", "viewer", "handler", "anonymous"])
    def test_policy_documents_steps_and_transfers_agree_with_the_rule(self, part, who):
        user = {"member": lambda: SellerMemberFactory(seller=part.seller).user,
                "stranger": lambda: SellerMemberFactory(seller=SellerFactory()).user,
                "viewer": lambda: staff_with("view_order"),
                "handler": lambda: staff_with("change_order"),
                "anonymous": AnonymousUser}[who]()
        granted = seller_order_permissions(user, part)
        policy = SellerOrderPolicy(SellerOrder)
        assert policy.user_has_permission_for_instance(user, "view", part) == ("view" in granted)
        assert can_download_documents(user, part) == ("view" in granted)
        assert set(actions_open(user, part)) == {"accept", "decline"} & granted
        assert order_payment_recorder(user) == ("refund" in granted)
