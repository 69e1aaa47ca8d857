"""Admin addresses of the models that moved out of the marketplace app when commerce was split into apps
(bookmarks, links in old emails) lead to the same screens."""

import pytest
from django.urls import reverse

from marketplace.payments.models import BankAccount, BankTransferSettings
from marketplace.shipping.models import CountrySettings
from tests.factories.sellers import SellerFactory, SellerMemberFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    # Shipping zones are the platform administrator's (chamber staff have no permission on them).
    client.force_login(UserFactory(username="admin", is_superuser=True))
    return client


class TestMovedAdminAddresses:
    def test_old_settings_and_snippet_addresses_redirect_to_the_new_ones(self, staff_client):
        account = BankAccount.objects.create(bank_name="Bank MAD", holder="Chamber", iban="MA64 0000 1111",
                                             currencies="MAD")
        moves = {
            f"/admin/settings/marketplace/banktransfersettings/{BankTransferSettings.load().pk}/":
                reverse("wagtailsettings:edit", args=["payments", "banktransfersettings", BankTransferSettings.load().pk]),
            f"/admin/settings/marketplace/countrysettings/{CountrySettings.load().pk}/":
                reverse("wagtailsettings:edit", args=["shipping", "countrysettings", CountrySettings.load().pk]),
            "/admin/snippets/marketplace/bankaccount/": reverse("wagtailsnippets_payments_bankaccount:list"),
            f"/admin/snippets/marketplace/bankaccount/edit/{account.pk}/?next=%2Fadmin%2F":
                reverse("wagtailsnippets_payments_bankaccount:edit", args=[account.pk]) + "?next=%2Fadmin%2F",
            "/admin/snippets/marketplace/shippingzone/": reverse("wagtailsnippets_shipping_shippingzone:list"),
            "/admin/snippets/catalog/labelscheme/": reverse("wagtailsnippets_labels_labelscheme:list"),
        }
        for old, new in moves.items():
            response = staff_client.get(old)
            assert response.status_code == 301 and response["Location"] == new, old
            assert staff_client.get(new).status_code == 200, new

    def test_a_seller_following_an_old_address_still_meets_the_permission_check(self, client):
        client.force_login(SellerMemberFactory(seller=SellerFactory()).user)
        BankAccount.objects.create(bank_name="Bank MAD", holder="Chamber", iban="MA64 0000 1111", currencies="MAD")
        response = client.get("/admin/snippets/marketplace/bankaccount/")
        assert response.status_code == 301 and response["Location"] == "/admin/snippets/payments/bankaccount/"
        response = client.get(response["Location"])
        assert response.status_code in (302, 403) and "MA64" not in response.content.decode()

    def test_other_old_marketplace_addresses_are_not_found(self, staff_client):
        assert staff_client.get("/admin/snippets/marketplace/order/").status_code == 404
        assert staff_client.get("/admin/snippets/catalog/bankaccount/").status_code == 404
        assert staff_client.get("/admin/snippets/catalog/material/").status_code == 200
