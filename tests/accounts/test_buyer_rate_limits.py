"""Sign-up and password reset are rate limited (allauth's own limits, set in settings.base; off in other tests)."""

import pytest
from django.core import mail
from django.test import override_settings

from config.settings import base

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def limits_on():
    with override_settings(ACCOUNT_RATE_LIMITS=base.ACCOUNT_RATE_LIMITS, RATE_LIMITS_ENABLED=True):
        yield


class TestSignUpIsLimited:
    def test_the_eleventh_sign_up_from_one_address_in_an_hour_is_refused(self, client):
        statuses = [
            client.post("/en/account/signup/", {"email": f"buyer{number}@example.fr", "password1": "Tapis-2026-berbere",
                                                "password2": "Tapis-2026-berbere"}, REMOTE_ADDR="203.0.113.9").status_code
            for number in range(11)
        ]
        assert statuses[:10] == [302] * 10
        assert statuses[10] == 429

    def test_another_address_still_signs_up(self, client):
        for number in range(11):
            client.post("/en/account/signup/", {"email": f"b{number}@example.fr", "password1": "x"}, REMOTE_ADDR="203.0.113.9")
        response = client.post("/en/account/signup/", {"email": "late@example.fr", "password1": "Tapis-2026-berbere",
                                                       "password2": "Tapis-2026-berbere"}, REMOTE_ADDR="198.51.100.1")
        assert response.status_code == 302


class TestPasswordResetIsLimited:
    def test_one_address_gets_at_most_three_reset_emails_an_hour(self, client, django_user_model, django_capture_on_commit_callbacks):
        from allauth.account.models import EmailAddress

        user = django_user_model.objects.create_user("amina", "amina@example.fr", "old-password-123")
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        with django_capture_on_commit_callbacks(execute=True):
            statuses = [client.post("/en/account/password/reset/", {"email": "amina@example.fr"}).status_code
                        for _attempt in range(4)]

        assert statuses == [302, 302, 302, 429]
        assert len(mail.outbox) == 3
        assert "Too many requests" in client.post("/en/account/password/reset/", {"email": "amina@example.fr"}).content.decode()
