"""Brute force on the admin's and the buyers' login: per account and address, and per address (django-axes)."""

import pytest
from allauth.account.models import EmailAddress
from axes.models import AccessAttempt
from django.test import override_settings

from tests.factories.accounts import chamber_staff_create
from tests.factories.sellers import UserFactory as AccountFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("axes_enabled")]

PASSWORD = "correct-horse-battery"
LOGIN_URLS = ["/admin/login/", "/en/account/login/"]


@pytest.fixture
def axes_enabled():
    with override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=5, LOGIN_IP_FAILURE_LIMIT=12):
        yield


def post_login(client, url, username, password, address="203.0.113.7"):
    if url.startswith("/admin/"):
        data = {"username": username, "password": password}
    else:  # the buyers' login (allauth) takes the email address: UserFactory's is <username>@example.org
        data = {"login": f"{username}@example.org", "password": password}
    return client.post(url, data, REMOTE_ADDR=address)


def UserFactory(**fields):  # noqa: N802  (the factory, with its email address verified as allauth requires)
    user = AccountFactory(**fields)
    EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    return user


@pytest.mark.parametrize("url", LOGIN_URLS)
class TestPasswordGuessing:
    def test_forty_wrong_passwords_then_the_right_one_does_not_log_in(self, client, url):
        user = UserFactory(username="amina", is_superuser=True)
        for attempt in range(40):
            post_login(client, url, user.username, f"wrong-{attempt}")

        response = post_login(client, url, user.username, PASSWORD)

        assert "_auth_user_id" not in client.session
        assert response.status_code == 429
        assert int(response["Retry-After"]) > 0
        assert "Too many failed login attempts" in response.content.decode()

    def test_the_account_still_opens_from_another_address(self, client, url):
        user = UserFactory(username="amina")
        for attempt in range(6):
            post_login(client, url, user.username, f"wrong-{attempt}")

        post_login(client, url, user.username, PASSWORD, address="198.51.100.20")

        assert client.session["_auth_user_id"] == str(user.pk)

    def test_a_few_typos_then_the_right_password_logs_in_and_clears_the_count(self, client, url):
        user = UserFactory(username="amina")
        for attempt in range(3):
            post_login(client, url, user.username, f"wrong-{attempt}")

        post_login(client, url, user.username, PASSWORD)

        assert client.session["_auth_user_id"] == str(user.pk)
        assert not AccessAttempt.objects.filter(username="amina").exists()


class TestPasswordSpraying:
    def test_one_address_trying_many_accounts_is_locked_out(self, client):
        victim = UserFactory(username="victim")
        for number in range(12):
            post_login(client, "/admin/login/", f"someone-{number}", "guess")

        response = post_login(client, "/admin/login/", victim.username, PASSWORD)

        assert response.status_code == 429 and "_auth_user_id" not in client.session

    def test_a_success_on_the_sprayers_own_account_does_not_reset_the_address(self, client):
        own, victim = UserFactory(username="own"), UserFactory(username="victim")
        for number in range(11):
            post_login(client, "/admin/login/", f"someone-{number}", "guess")
        post_login(client, "/admin/login/", own.username, PASSWORD)
        client.logout()
        post_login(client, "/admin/login/", "someone-else", "guess")

        response = post_login(client, "/admin/login/", victim.username, PASSWORD)

        assert response.status_code == 429 and "_auth_user_id" not in client.session


class TestLockoutsInTheAdmin:
    def test_chamber_staff_see_the_lockout_and_lift_it(self, client):
        amina = UserFactory(username="amina")
        for attempt in range(5):
            post_login(client, "/en/account/login/", "amina", f"wrong-{attempt}")
        attempt = AccessAttempt.objects.get(username="amina")
        client.force_login(chamber_staff_create())

        assert "amina" in client.get("/admin/login_attempts/").content.decode()
        client.post(f"/admin/login_attempts/delete/{attempt.pk}/")
        client.logout()

        post_login(client, "/en/account/login/", "amina", PASSWORD)
        assert client.session["_auth_user_id"] == str(amina.pk)
        assert not AccessAttempt.objects.filter(username="amina").exists()

    def test_a_seller_cannot_see_the_lockouts(self, client):
        from tests.factories.sellers import SellerMemberFactory

        member = SellerMemberFactory()
        client.force_login(member.user)
        assert client.get("/admin/login_attempts/").status_code in (302, 403)


class TestEmailAndUsernameAreOneAccount:
    def test_failures_by_email_in_the_admin_and_by_username_count_together(self, client):
        UserFactory(username="amina")
        for attempt in range(3):
            post_login(client, "/admin/login/", "amina@example.org", f"wrong-{attempt}")
        for attempt in range(2):
            post_login(client, "/admin/login/", "amina", f"wrong-again-{attempt}")

        response = post_login(client, "/en/account/login/", "amina", PASSWORD)

        assert response.status_code == 429 and "_auth_user_id" not in client.session
