"""A seller's managers set its wholesale terms in the admin; members, other sellers' managers and the
chamber's staff (who use the seller's record) cannot through this page."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from wagtail.models import ModelLogEntry

from sellers.models import Seller, SellerMember
from sellers.roles import CHAMBER_STAFF_GROUP, role_group
from tests.factories.sellers import SellerMemberFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/admin/seller-wholesale-terms/"
TERMS = {"first_order_minimum": "3000.00", "reorder_minimum": "1500.00", "made_to_order_capacity": "40"}


def admin_user(user):
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


def test_the_url_is_the_admins():
    assert reverse("seller_wholesale_terms") == URL


def test_a_manager_sets_its_sellers_terms_and_the_change_is_logged(client):
    manager = SellerMemberFactory(role=SellerMember.Role.MANAGER)
    client.force_login(admin_user(manager.user))
    assert client.get(URL).status_code == 200
    response = client.post(URL, TERMS)
    assert response.status_code == 302
    seller = Seller.objects.get(pk=manager.seller_id)
    assert (seller.first_order_minimum, seller.reorder_minimum, seller.made_to_order_capacity) == (
        Decimal("3000.00"), Decimal("1500.00"), 40)
    assert ModelLogEntry.objects.filter(action="sellers.wholesale_terms", object_id=str(seller.pk)).exists()


@pytest.mark.parametrize("values", [{"first_order_minimum": "-1"}, {"made_to_order_capacity": "0"},
                                    {"reorder_minimum": "1e400"}, {"first_order_minimum": "abc"},
                                    {"made_to_order_capacity": "99999999999999999999"}])
def test_bad_values_are_form_errors_and_nothing_is_saved(client, values):
    manager = SellerMemberFactory(role=SellerMember.Role.MANAGER)
    client.force_login(admin_user(manager.user))
    response = client.post(URL, {**TERMS, **values})
    assert response.status_code == 200
    seller = Seller.objects.get(pk=manager.seller_id)
    assert seller.first_order_minimum == 0 and seller.made_to_order_capacity is None


@pytest.mark.parametrize("role", ["member", "chamber staff", "buyer"])
def test_nobody_else_reaches_the_page(client, role):
    if role == "member":
        user = SellerMemberFactory(role=SellerMember.Role.MEMBER).user
    else:
        user = UserFactory()
        if role == "chamber staff":
            user.groups.add(role_group(CHAMBER_STAFF_GROUP))
    client.force_login(admin_user(user))
    assert client.get(URL).status_code in (302, 403)
    assert client.post(URL, TERMS).status_code in (302, 403)
    assert not Seller.objects.filter(first_order_minimum=Decimal("3000.00")).exists()


def test_an_anonymous_visitor_is_sent_to_the_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "login" in response["Location"]
