"""Sellers and staff sign in to Wagtail's admin with their email address too; the second factor still applies."""

import pytest
from django.test import override_settings

from tests.factories.accounts import chamber_staff_create, totp_code, totp_device_create
from tests.factories.sellers import SellerMemberFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
VERIFY = "/admin/two-factor/verify/"


class TestAdminLoginByEmail:
    def test_a_sellers_member_signs_in_to_the_admin_with_its_email_address(self, client):
        member = SellerMemberFactory()

        response = client.post("/admin/login/", {"username": member.user.email.upper(), "password": PASSWORD})

        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(member.user.pk)

    def test_the_username_still_works_and_a_wrong_password_does_not(self, client):
        member = SellerMemberFactory()

        client.post("/admin/login/", {"username": member.user.email, "password": "wrong"})
        assert "_auth_user_id" not in client.session
        client.post("/admin/login/", {"username": member.user.username, "password": PASSWORD})
        assert client.session["_auth_user_id"] == str(member.user.pk)

    @override_settings(TWO_FACTOR_ENFORCED=True)
    def test_staff_signing_in_by_email_still_give_their_second_factor(self, client):
        staff = chamber_staff_create()
        device = totp_device_create(staff)

        client.post("/admin/login/", {"username": staff.email, "password": PASSWORD})
        response = client.get("/admin/pages/")

        assert response.status_code == 302 and response["Location"].startswith(VERIFY)
        client.post(f"{VERIFY}?next=/admin/", {"token": totp_code(device)})
        assert client.get("/admin/").status_code == 200
