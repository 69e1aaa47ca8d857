import pytest
from django.urls import reverse

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
