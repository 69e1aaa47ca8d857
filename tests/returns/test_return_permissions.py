"""Permission matrix of every returns URL, for every role: the buyer's pages (the order's private link is
the key, whoever holds it), and the admin's list, return page and steps (the return's seller's members
and chamber staff only; another seller's member finds nothing). The URL list comes from the URL conf,
so a new returns URL fails here until it joins the matrix."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from marketplace.orders.selectors import order_url
from marketplace.returns.models import ReturnRequest
from marketplace.returns.services import return_request_create
from tests.factories.labels import inspector_create
from tests.factories.sellers import UserFactory

from .conftest import delivered_order

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "buyer", "member of A", "member of B", "chamber staff", "label inspector")
ADMIN_STAFF_OR_OWN = {"member of A", "chamber staff"}


def returns_url_names() -> set[str]:
    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield namespace + pattern.name
    return {name for name in walk(get_resolver().url_patterns)
            if name.startswith("returns_admin:") or name in ("return_new", "return_send", "return_cancel")}


COVERED = {"returns_admin:index", "returns_admin:index_results", "returns_admin:inspect", "returns_admin:act",
           "return_new", "return_send", "return_cancel"}


@pytest.fixture
def world(shop):
    part_a = delivered_order((shop["cushion"], 1))  # personalised: refusable
    return_a = return_request_create(seller_order=part_a, quantities={part_a.lines.get().pk: 1}, reason="No")
    users = {"anonymous": None, "buyer": UserFactory(username="a-buyer"), "member of A": shop["member"],
             "member of B": shop["other_member"], "chamber staff": shop["staff"],
             "label inspector": inspector_create()}
    return {"order": part_a.order, "part": part_a, "return": return_a, "users": users}


def login(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)


def test_every_returns_url_is_in_the_matrix():
    assert returns_url_names() == COVERED


@pytest.mark.parametrize("role", ROLES)
def test_the_admin_list_and_return_page_reach_its_sellers_members_and_staff_only(client, world, role):
    login(client, world["users"][role])
    return_request = world["return"]
    index = client.get(reverse("returns_admin:index"))
    results = client.get(reverse("returns_admin:index_results"))
    page = client.get(reverse("returns_admin:inspect", args=[return_request.pk]))
    if role in ADMIN_STAFF_OR_OWN:
        assert index.status_code == results.status_code == page.status_code == 200
        assert return_request.reference in results.content.decode()
        assert return_request.reference in page.content.decode()
    elif role == "member of B":  # sees the returns list, empty of seller A's
        assert index.status_code == 200 and return_request.reference not in results.content.decode()
        assert page.status_code == 404
    else:
        for response in (index, results, page):
            assert response.status_code in (302, 403, 404), (role, response.status_code)
            assert return_request.reference not in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ["authorise", "refuse", "receive", "refund_retry", "refund_record"])
def test_only_the_sellers_members_take_the_steps_and_staff_not_before_the_deadline(client, world, role, action):
    login(client, world["users"][role])
    return_request = world["return"]
    data = {"authorise-return_address": "Somewhere", "refuse-reason": "Personalised",
            "receive-condition_notes": "", "refund_record-reference": ""}
    response = client.post(reverse("returns_admin:act", args=[return_request.pk, action]), data)
    after = ReturnRequest.objects.get(pk=return_request.pk)
    if role == "member of A" and action in ("authorise", "refuse"):
        assert response.status_code == 302 and after.status != ReturnRequest.Status.REQUESTED
    else:
        assert after.status == ReturnRequest.Status.REQUESTED, (role, action)
        assert response.status_code in (302, 403, 404), (role, action, response.status_code)


def test_an_unknown_step_is_refused(client, world):
    login(client, world["users"]["member of A"])
    response = client.post(reverse("returns_admin:act", args=[world["return"].pk, "delete"]))
    assert response.status_code in (302, 403) and response.get("Location", "") != reverse(
        "returns_admin:inspect", args=[world["return"].pk])
    assert ReturnRequest.objects.filter(pk=world["return"].pk).exists()


@pytest.mark.parametrize("role", ROLES)
def test_the_buyers_pages_open_with_the_orders_link_only(client, world, role):
    login(client, world["users"][role])
    order, part, return_request = world["order"], world["part"], world["return"]
    assert client.get(reverse("return_new", args=[order.reference, order.access_token, part.reference])).status_code in (200, 302)
    assert client.get(reverse("return_new", args=[order.reference, "not-the-token", part.reference])).status_code == 404
    for name in ("return_send", "return_cancel"):
        assert client.post(reverse(name, args=[order.reference, "not-the-token", return_request.reference]),
                           {"carrier": "x", "tracking_number": "y"}).status_code == 404
    assert ReturnRequest.objects.get(pk=return_request.pk).status == ReturnRequest.Status.REQUESTED
    page = client.get(order_url(order))
    assert page.status_code == 200 and return_request.reference in page.content.decode()


def test_the_link_holder_cancels_and_no_one_else(client, world):
    order, return_request = world["order"], world["return"]
    response = client.post(reverse("return_cancel", args=[order.reference, order.access_token, return_request.reference]))
    assert response.status_code == 302
    assert ReturnRequest.objects.get(pk=return_request.pk).status == ReturnRequest.Status.CANCELLED
