"""Two-factor authentication in the admin: required for chamber staff, inspectors and superusers."""

import re

import pytest
from django.test import override_settings
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import ModelLogEntry

from sellers.models import Seller
from sellers.services import seller_verify
from tests.factories.accounts import chamber_staff_create, totp_code, totp_device_create
from tests.factories.labels import inspector_create
from tests.factories.sellers import SellerFactory, SellerMemberFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("two_factor_enforced")]

PASSWORD = "correct-horse-battery"
SETUP, VERIFY = "/admin/two-factor/", "/admin/two-factor/verify/"


@pytest.fixture
def two_factor_enforced():
    with override_settings(TWO_FACTOR_ENFORCED=True):
        yield


@pytest.fixture
def manager(tree):
    member = SellerMemberFactory(seller=SellerFactory(status=Seller.Status.PENDING))
    seller_verify(seller=member.seller, by=UserFactory(username="chamber"))
    return member.user


def password_login(client, user):
    response = client.post("/admin/login/", {"username": user.username, "password": PASSWORD})
    assert client.session["_auth_user_id"] == str(user.pk), response.content.decode()[:500]


class TestEnrolmentIsRequired:
    @pytest.mark.parametrize("make_user", [
        chamber_staff_create, inspector_create, lambda: UserFactory(username="root", is_superuser=True),
    ])
    def test_a_user_whose_role_requires_it_reaches_only_the_enrolment(self, client, make_user):
        client.force_login(make_user())

        for url in ("/admin/", "/admin/pages/", "/admin/images/", "/admin/api/main/pages/"):
            response = client.get(url)
            assert response.status_code == 302 and response["Location"].startswith(SETUP), url
        page = client.get(SETUP)
        assert page.status_code == 200 and "<svg" in page.content.decode()

    def test_enrolling_with_the_first_code_opens_the_admin_and_shows_backup_codes_once(self, client):
        staff = chamber_staff_create()
        client.force_login(staff)
        client.get(SETUP)
        device = TOTPDevice.objects.get(user=staff, confirmed=False)

        response = client.post(f"{SETUP}?next=/admin/pages/", {"action": "confirm", "token": totp_code(device)})

        codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
        assert len(codes) == 10 and set(codes) == set(StaticToken.objects.values_list("token", flat=True))
        assert client.get("/admin/").status_code == 200
        assert ModelLogEntry.objects.filter(action="accounts.two_factor_enable", object_id=str(staff.pk)).exists()

    def test_a_wrong_first_code_enrols_nothing(self, client):
        staff = chamber_staff_create()
        client.force_login(staff)
        client.get(SETUP)

        response = client.post(SETUP, {"action": "confirm", "token": "000000"})

        assert "This code is not valid" in response.content.decode()
        assert not TOTPDevice.objects.filter(user=staff, confirmed=True).exists()
        assert client.get("/admin/").status_code == 302

    def test_a_sellers_manager_may_use_the_admin_without_it(self, client, manager):
        client.force_login(manager)
        assert client.get("/admin/").status_code == 200


class TestCodeAfterPassword:
    def test_the_password_alone_does_not_open_the_admin(self, client):
        staff = chamber_staff_create()
        totp_device_create(staff)

        password_login(client, staff)

        response = client.get("/admin/pages/")
        assert response.status_code == 302 and response["Location"].startswith(VERIFY)

    def test_the_right_code_opens_the_admin_at_the_page_asked_for(self, client):
        staff = chamber_staff_create()
        device = totp_device_create(staff)
        password_login(client, staff)

        response = client.post(f"{VERIFY}?next=/admin/pages/", {"token": totp_code(device)})

        assert response.status_code == 302 and response["Location"] == "/admin/pages/"
        assert client.get("/admin/").status_code == 200

    def test_a_wrong_code_is_refused(self, client):
        staff = chamber_staff_create()
        totp_device_create(staff)
        password_login(client, staff)

        response = client.post(VERIFY, {"token": "123456"})

        assert response.status_code == 200 and "This code is not valid" in response.content.decode()
        assert client.get("/admin/").status_code == 302

    def test_after_a_wrong_code_even_the_right_one_waits(self, client):
        staff = chamber_staff_create()
        device = totp_device_create(staff)
        password_login(client, staff)
        client.post(VERIFY, {"token": "123456"})

        response = client.post(VERIFY, {"token": totp_code(device)})

        assert "Too many wrong codes" in response.content.decode()
        assert client.get("/admin/").status_code == 302

    def test_a_backup_code_opens_the_admin_once(self, client):
        staff = chamber_staff_create()
        client.force_login(staff)
        client.get(SETUP)
        enrolment = TOTPDevice.objects.get(user=staff, confirmed=False)
        client.post(SETUP, {"action": "confirm", "token": totp_code(enrolment)})
        code = StaticToken.objects.first().token
        client.logout()

        password_login(client, staff)
        client.post(VERIFY, {"token": code.upper()})
        assert client.get("/admin/").status_code == 200
        client.logout()
        password_login(client, staff)
        client.post(VERIFY, {"token": code})
        assert client.get("/admin/").status_code == 302

    def test_a_stolen_password_cannot_replace_the_device(self, client):
        staff = chamber_staff_create()
        totp_device_create(staff)
        password_login(client, staff)

        response = client.post(SETUP, {"action": "confirm", "token": "000000"})

        assert response.status_code == 302 and response["Location"].startswith(VERIFY)

    def test_the_code_step_rejects_an_outside_next(self, client):
        staff = chamber_staff_create()
        device = totp_device_create(staff)
        password_login(client, staff)

        response = client.post(f"{VERIFY}?next=https://evil.example/", {"token": totp_code(device)})

        assert response["Location"] == "/admin/"


class TestTurningOff:
    def test_a_sellers_manager_may_turn_it_off(self, client, manager):
        device = totp_device_create(manager)
        password_login(client, manager)
        client.post(VERIFY, {"token": totp_code(device)})

        client.post(SETUP, {"action": "disable"})

        assert not TOTPDevice.objects.filter(user=manager).exists()

    def test_chamber_staff_cannot(self, client):
        staff = chamber_staff_create()
        device = totp_device_create(staff)
        password_login(client, staff)
        client.post(VERIFY, {"token": totp_code(device)})

        client.post(SETUP, {"action": "disable"})

        assert TOTPDevice.objects.filter(user=staff).exists()


class TestOperatorReset:
    def test_a_user_who_lost_everything_is_reset_and_enrols_again(self, client):
        from django.core.management import call_command

        staff = chamber_staff_create()
        totp_device_create(staff)

        call_command("two_factor_reset", staff.username, stdout=None)

        assert not TOTPDevice.objects.filter(user=staff).exists()
        assert ModelLogEntry.objects.filter(action="accounts.two_factor_reset", object_id=str(staff.pk)).exists()
        password_login(client, staff)
        assert client.get("/admin/")["Location"].startswith(SETUP)


class TestAccountMenu:
    def test_a_sellers_manager_finds_it_in_the_account_settings(self, client, manager):
        client.force_login(manager)
        html = client.get("/admin/account/").content.decode()
        assert 'href="/admin/two-factor/"' in html and "Two-factor authentication" in html
