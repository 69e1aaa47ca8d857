"""Every link in an email, PDF or QR code is built on PUBLIC_BASE_URL, or, when it is unset, on the host the
site was reached on, including for the emails that background tasks send after the request is over."""

import re

import pytest
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse

from config.public_urls import public_base, public_base_url, public_url
from labels.selectors import certificate_verify_url
from labels.services import label_assign
from marketplace.orders.models import Order
from outbox.services import outbox_relay
from sellers.models import Seller
from tests.factories.catalog import product_create, seller_pages
from tests.factories.labels import applied, inspected, inspector_create, scheme_create
from tests.factories.orders import europe_zone
from tests.factories.sellers import SellerFactory, SellerMemberFactory, UserFactory

pytestmark = pytest.mark.django_db

HOST = "souk.example:8443"
BASE = f"http://{HOST}"
ON_HOST = {"HTTP_HOST": HOST}
ADDRESS = {"email": "camille@example.com", "name": "Camille Martin", "line1": "12 rue des Archives", "line2": "",
           "city": "Paris", "region": "", "postal_code": "75004", "country": "FR", "phone": "", "payment": "offline"}
LINK = re.compile(r"https?://[^\s<>\"')]+")


@pytest.fixture
def site_elsewhere(settings):
    settings.PUBLIC_BASE_URL = ""
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"  # what every email said before


class TestTheHelper:
    def test_public_base_url_wins_when_set(self, settings):
        settings.PUBLIC_BASE_URL = "https://souk.ma/"
        request = RequestFactory().get("/", HTTP_HOST=HOST)
        assert public_url("/verify/X/", request) == "https://souk.ma/verify/X/"

    def test_the_requests_host_when_unset(self, site_elsewhere):
        request = RequestFactory().get("/", HTTP_HOST=HOST)
        assert public_url("/verify/X/", request) == f"{BASE}/verify/X/"

    def test_a_task_builds_on_the_base_captured_when_it_was_queued(self, site_elsewhere):
        with public_base("https://captured.example"):
            assert public_base_url() == "https://captured.example"
        assert public_base_url() == "http://127.0.0.1:8000"  # a beat task that no request started


def test_no_email_of_an_order_a_seller_or_a_certificate_links_to_another_host(site_elsewhere, client, tree):
    staff = UserFactory(username="root", is_superuser=True, is_staff=True)
    admin = client.__class__()
    admin.force_login(staff)

    # A cooperative is verified by the chamber.
    pending = SellerFactory(status=Seller.Status.PENDING, email="coop@example.com")
    assert admin.post(reverse("wagtailsnippets_sellers_seller:decide", args=(pending.pk, "verify")), {},
                      **ON_HOST).status_code == 302

    # A buyer orders and pays by bank transfer, recorded by staff; the seller is told of its part.
    europe_zone()
    seller = SellerFactory(legal_name="Coopérative Tazenakht", email="tazenakht@example.com")
    rug = product_create(seller_pages(tree, seller), title="Rug", stock=3)
    client.post(reverse("basket_add"), {"product": rug.pk, "quantity": 1}, HTTP_ORIGIN=BASE, **ON_HOST)
    assert client.post(reverse("checkout"), ADDRESS, **ON_HOST).status_code == 302
    html = client.get(reverse("checkout_review"), **ON_HOST).content.decode()
    attempt = re.search(r'name="attempt" value="([^"]+)"', html).group(1)
    assert client.post(reverse("checkout_review"), {"attempt": attempt}, **ON_HOST).status_code == 302
    order = Order.objects.get()
    assert admin.post(reverse("orders:record_transfer", args=[order.pk]),
                      {"amount": str(order.total), "confirm": "on"}, **ON_HOST).status_code == 302

    # An inspector approves a label: the seller gets its certificate's verify link.
    member = SellerMemberFactory(seller=seller).user
    inspector = inspector_create()
    application = label_assign(application=applied(scheme_create(), (member, seller, rug)),
                               inspector=inspector, by=inspector)
    inspected(application, inspector)
    inspector_client = client.__class__()
    inspector_client.force_login(inspector)
    assert inspector_client.post(reverse("label_applications:decide", args=[application.pk]),
                                 {"decision": "approve"}, **ON_HOST).status_code == 302

    outbox_relay()  # the emails go now, after every request is over
    subjects = [email.subject for email in mail.outbox]
    bodies = {email.subject: email.body for email in mail.outbox}
    assert len(mail.outbox) >= 5, subjects  # verified, order placed, paid, seller's part, certificate
    links = {subject: LINK.findall(body) for subject, body in bodies.items()}
    assert all(found for subject, found in links.items() if "label" in subject.lower() or order.reference in subject)
    for subject, body in bodies.items():
        assert "127.0.0.1:8000" not in body, subject
        for link in links[subject]:
            assert link.startswith(BASE + "/"), (subject, link)
    assert any(f"{BASE}/verify/" in body for body in bodies.values())
    assert any(f"{BASE}/admin/" in body for body in bodies.values())


def test_the_certificate_qr_code_and_page_use_the_requests_host(site_elsewhere):
    request = RequestFactory().get("/", HTTP_HOST=HOST)
    assert certificate_verify_url("MA-LNA-2026-000001", request) == f"{BASE}/verify/MA-LNA-2026-000001/"
