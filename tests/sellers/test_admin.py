import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sellers.admin_paginator import BoundedCountPaginator
from sellers.models import Seller, SellerDocument
from tests.factories.sellers import SellerFactory, UserFactory

pytestmark = pytest.mark.django_db


class TestSellerAdmin:
    def test_staff_list_sellers_filtered_by_status(self, client):
        SellerFactory(legal_name="Coopérative Verified", status="verified")
        SellerFactory(legal_name="Coopérative Waiting", status="pending")
        client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))

        response = client.get(reverse("wagtailsnippets_sellers_seller:list"), {"status": "pending"})

        assert response.status_code == 200
        html = response.content.decode()
        assert "Coopérative Waiting" in html and "Coopérative Verified" not in html

    def test_a_user_without_permission_cannot_list_sellers(self, client):
        SellerFactory(legal_name="Coopérative Verified")
        user = UserFactory(username="plain")
        client.force_login(user)
        response = client.get(reverse("wagtailsnippets_sellers_seller:list"))
        assert response.status_code in (302, 403)


class TestALargeRegister:
    """The register grows to ~400,000 sellers: the listing never counts the whole table."""

    @pytest.fixture
    def staff_client(self, client, monkeypatch):
        monkeypatch.setattr(BoundedCountPaginator, "count_limit", 3)
        client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
        return client

    def count_queries(self, queries):
        return [query["sql"] for query in queries if "COUNT(" in query["sql"].upper() and "sellers_seller" in query["sql"]]

    def test_beyond_the_limit_the_listing_says_more_than_and_counts_with_a_limit(self, staff_client):
        for number in range(5):
            SellerFactory(legal_name=f"Coopérative {number}", status="pending")
        with CaptureQueriesContext(connection) as queries:
            response = staff_client.get(reverse("wagtailsnippets_sellers_seller:list"), {"p": 99})
        assert response.status_code == 200
        html = response.content.decode()
        assert "More than 3 sellers" in html
        counts = self.count_queries(queries)
        assert counts and all("LIMIT" in sql.upper() for sql in counts)

        paginator = BoundedCountPaginator(Seller.objects.order_by("legal_name"), 2)
        last = paginator.get_page(99)  # a page past the limit shows the last one offered
        assert (paginator.num_pages, last.number) == (2, 2)
        assert [seller.legal_name for seller in last.object_list] == ["Coopérative 2", "Coopérative 3"]

    def test_under_the_limit_the_exact_number_and_the_filters_still_apply(self, staff_client):
        SellerFactory(legal_name="Coopérative Verified", status="verified")
        SellerFactory(legal_name="Coopérative Waiting", status="pending")
        html = staff_client.get(reverse("wagtailsnippets_sellers_seller:list"), {"status": "pending"}).content.decode()
        assert "1 seller" in html and "More than" not in html
        assert "Coopérative Waiting" in html and "Coopérative Verified" not in html


class TestDecisionsInTheAdmin:
    @pytest.fixture
    def chamber_client(self, client, tree):
        client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
        return client

    def test_the_listing_offers_the_decisions_that_apply(self, chamber_client):
        pending = SellerFactory(legal_name="Coopérative Waiting", status="pending")
        html = chamber_client.get(reverse("wagtailsnippets_sellers_seller:list")).content.decode()
        assert reverse("wagtailsnippets_sellers_seller:decide", args=(pending.pk, "verify")) in html
        assert reverse("wagtailsnippets_sellers_seller:decide", args=(pending.pk, "suspend")) not in html

    def test_staff_verify_a_pending_seller(self, chamber_client):
        pending = SellerFactory(status="pending")
        response = chamber_client.post(reverse("wagtailsnippets_sellers_seller:decide", args=(pending.pk, "verify")), {})
        assert response.status_code == 302
        pending.refresh_from_db()
        assert pending.status == "verified"

    def test_rejecting_without_a_reason_shows_the_error(self, chamber_client):
        pending = SellerFactory(status="pending")
        response = chamber_client.post(
            reverse("wagtailsnippets_sellers_seller:decide", args=(pending.pk, "reject")), {"reason": ""}
        )
        assert response.status_code == 200
        assert "Give the applicant the reason." in response.content.decode()
        pending.refresh_from_db()
        assert pending.status == "pending"

    def test_documents_are_for_staff_only(self, client, chamber_client):
        seller = SellerFactory(status="pending")
        document = SellerDocument(seller=seller, original_name="statutes.pdf", content_type="application/pdf", size=9)
        document.file.save("statutes.pdf", ContentFile(b"%PDF-1.7\n"), save=True)
        url = reverse("wagtailsnippets_sellers_seller:document", args=(document.pk,))

        assert b"".join(chamber_client.get(url).streaming_content) == b"%PDF-1.7\n"
        client.logout()
        plain = UserFactory(username="someone")
        client.force_login(plain)
        assert client.get(url).status_code in (302, 403)
