"""With the broker unreachable, checkout still answers with the order (its emails wait in the outbox),
retries never make a second order, and once the broker is back the relay sends what waited and a
worker runs it."""

import time
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from marketplace.orders.models import Order
from marketplace.orders.selectors import order_url
from outbox import services as outbox_services
from outbox.models import OutboxMessage
from outbox.services import outbox_relay
from tests.celery_broker import celery_broker
from tests.checkout.test_checkout_views import review_attempt
from tests.factories.catalog import product_create, seller_pages
from tests.factories.orders import europe_zone
from tests.factories.sellers import SellerFactory

ORIGIN = {"HTTP_ORIGIN": "http://testserver"}
ADDRESS = {"email": "camille@example.com", "name": "Camille Martin", "line1": "12 rue des Archives", "line2": "",
           "city": "Paris", "region": "", "postal_code": "75004", "country": "FR", "phone": "", "payment": "offline"}


@pytest.fixture(autouse=True)
def _broker_not_paused(monkeypatch):
    monkeypatch.setattr(outbox_services, "_broker_paused_until", 0.0)


def _basket_ready(client, tree):
    europe_zone()
    rug = product_create(seller_pages(tree, SellerFactory(legal_name="Coopérative Tazenakht")), title="Rug", stock=3)
    client.post(reverse("basket_add"), {"product": rug.pk, "quantity": 1}, **ORIGIN)
    assert client.post(reverse("checkout"), ADDRESS).status_code == 302
    return rug


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_checkout_answers_with_the_order_and_the_relay_sends_its_email_once_the_broker_is_back(
        client, settings, tree, spare_redis, django_capture_on_commit_callbacks):
    _basket_ready(client, tree)
    with celery_broker(settings, "redis://127.0.0.1:9/0"):
        attempt = review_attempt(client)
        responses = [client.post(reverse("checkout_review"), {"attempt": attempt}) for _retry in range(3)]
        order = Order.objects.get()  # one order after three posts of the same form
        assert [response.status_code for response in responses] == [302, 302, 302]
        assert {response["Location"] for response in responses} == {responses[0]["Location"]}
        assert responses[0]["Location"].startswith(f"http://testserver{order_url(order)}")
        assert client.get(responses[0]["Location"]).status_code == 200
        waiting = OutboxMessage.objects.filter(state=OutboxMessage.State.PENDING)
        assert waiting.filter(task="marketplace.orders.tasks.order_email_send",
                              args=[order.pk, "placed", "http://testserver"]).exists()  # the host it came on
        assert not mail.outbox

    outbox_services._broker_paused_until = 0.0
    with celery_broker(settings, f"{spare_redis.url}/0") as app:
        pending = waiting.count()
        assert outbox_relay(now=timezone.now() + timedelta(hours=1)) == pending  # past every back-off
        assert not OutboxMessage.objects.filter(state=OutboxMessage.State.PENDING).exists()
        with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=30):
            for _attempt in range(100):
                if mail.outbox:
                    break
                time.sleep(0.1)
    assert [message.to for message in mail.outbox] == [["camille@example.com"]]
    assert order.reference in mail.outbox[0].subject + mail.outbox[0].body
