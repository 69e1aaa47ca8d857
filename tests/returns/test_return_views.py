"""The buyer's returns on the order page: what it offers (and why not), the request form and its
hostile input (never a 5xx, nothing half-saved), the tracking form."""

import pytest
from django.urls import reverse

from marketplace.returns.models import ReturnRequest
from marketplace.returns.services import return_authorise

from .conftest import delivered_order

pytestmark = pytest.mark.django_db


def new_url(part):
    order = part.order
    return reverse("return_new", args=[order.reference, order.access_token, part.reference])


class TestOrderPage:
    def test_a_delivered_part_offers_returns_within_the_window_and_says_which_goods_are_excepted(self, client, shop):
        part = delivered_order((shop["rug"], 1), (shop["lamp"], 1))
        page = client.get(reverse("order_detail", args=[part.order.reference, part.order.access_token])).content.decode()
        assert "data-withdrawal-open" in page and new_url(part) in page
        assert "made to order are excepted" in page

    def test_after_the_window_it_says_so(self, client, shop):
        part = delivered_order((shop["rug"], 1), days_ago=15)
        page = client.get(reverse("order_detail", args=[part.order.reference, part.order.access_token])).content.decode()
        assert "data-withdrawal-closed" in page


class TestRequestForm:
    def test_a_request_through_the_form_reaches_the_seller(self, client, shop):
        part = delivered_order((shop["plate"], 3))
        line = part.lines.get()
        assert client.get(new_url(part)).status_code == 200
        response = client.post(new_url(part), {f"line_{line.pk}": "2", "reason": "Chipped"})
        assert response.status_code == 302
        [return_request] = ReturnRequest.objects.all()
        assert return_request.lines.get().quantity == 2 and return_request.reason == "Chipped"

    @pytest.mark.parametrize("data", [
        {"qty": "abc"}, {"qty": "-1"}, {"qty": "4"}, {"qty": "99999999999999999999"}, {"qty": "0"}, {},
        {"qty": "1", "reason": "x" * 5000}, {"qty": "1\x00"}, {"qty": "1", "reason": "bad\x00byte"},
        {"qty": "1.5"},
    ])
    def test_hostile_input_gets_a_message_and_saves_nothing(self, client, shop, data):
        part = delivered_order((shop["plate"], 3))
        line = part.lines.get()
        post = {f"line_{line.pk}": data["qty"]} if "qty" in data else {}
        if "reason" in data:
            post["reason"] = data["reason"]
        post["line_999999"] = "1"  # another order's line: not a field of this form, ignored
        response = client.post(new_url(part), post)
        assert response.status_code == 400
        assert not ReturnRequest.objects.exists()

    @pytest.mark.parametrize("part_reference", ["NOPE", "x" * 300, "SE26-ABC-1%00"])
    def test_an_unknown_part_is_not_found(self, client, shop, part_reference):
        part = delivered_order((shop["plate"], 1))
        order = part.order
        url = f"/en/orders/{order.reference}/{order.access_token}/returns/{part_reference}/new/"
        assert client.get(url).status_code == 404

    def test_a_part_not_delivered_offers_nothing(self, client, shop):
        part = delivered_order((shop["plate"], 1))
        part.status = part.Status.SHIPPED
        part.save()
        response = client.get(new_url(part))
        assert response.status_code == 302 and not ReturnRequest.objects.exists()


class TestTrackingForm:
    def test_the_buyer_enters_the_tracking_once_authorised(self, client, shop):
        part = delivered_order((shop["plate"], 1))
        order = part.order
        client.post(new_url(part), {f"line_{part.lines.get().pk}": "1"})
        return_request = return_authorise(return_request=ReturnRequest.objects.get(), by=shop["member"])
        url = reverse("return_send", args=[order.reference, order.access_token, return_request.reference])
        assert client.post(url, {"carrier": "", "tracking_number": "x" * 500}).status_code == 302
        assert ReturnRequest.objects.get().status == ReturnRequest.Status.AUTHORISED
        assert client.post(url, {"carrier": "Amana", "tracking_number": "RR123MA"}).status_code == 302
        sent = ReturnRequest.objects.get()
        assert (sent.status, sent.return_tracking_number) == (ReturnRequest.Status.SENT, "RR123MA")
        # Sent: it can no longer be cancelled, and a second tracking changes nothing.
        cancel = reverse("return_cancel", args=[order.reference, order.access_token, sent.reference])
        assert client.post(cancel).status_code == 302
        assert client.post(url, {"carrier": "Other", "tracking_number": "X"}).status_code == 302
        assert ReturnRequest.objects.get().status == ReturnRequest.Status.SENT
        assert ReturnRequest.objects.get().return_carrier == "Amana"
