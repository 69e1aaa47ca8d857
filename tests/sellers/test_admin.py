import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from sellers.models import SellerDocument
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
