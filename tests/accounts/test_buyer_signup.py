"""Buyers sign up with their email, verify it, log in by email and reset a forgotten password (django-allauth)."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from outbox.models import OutboxMessage

pytestmark = pytest.mark.django_db

PASSWORD = "Tapis-berbere-2026"


def sign_up(client, email="amina@example.fr", language="en"):
    return client.post(f"/{language}/account/signup/", {"email": email, "password1": PASSWORD, "password2": PASSWORD},
                       HTTP_HOST="souk.example:8443")


def link_in(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


class TestSignUp:
    def test_the_old_register_address_leads_to_sign_up(self, client):
        response = client.get("/en/account/register/")
        assert response.status_code == 301 and response["Location"] == reverse("account_signup")

    def test_sign_up_sends_a_verification_email_through_the_outbox_with_the_requests_host(self, client, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            response = sign_up(client)

        assert response.status_code == 302
        assert OutboxMessage.objects.filter(task="accounts.tasks.account_email_send").count() == 1
        [message] = mail.outbox
        assert message.to == ["amina@example.fr"]
        assert link_in(message).startswith("http://souk.example:8443/en/account/confirm-email/")
        assert "127.0.0.1:8000" not in message.body

    def test_the_account_cannot_log_in_before_its_email_is_verified(self, client, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            sign_up(client)
        client.logout()

        client.post("/en/account/login/", {"login": "amina@example.fr", "password": PASSWORD})

        assert "_auth_user_id" not in client.session

    def test_the_verification_link_verifies_the_address_and_the_buyer_logs_in_by_email(self, client, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            sign_up(client)
        link = link_in(mail.outbox[0]).split("souk.example:8443", 1)[1]

        assert client.get(link).status_code == 200
        client.post(link)
        client.logout()
        response = client.post("/en/account/login/", {"login": "Amina@Example.fr", "password": PASSWORD})

        assert EmailAddress.objects.get(email="amina@example.fr").verified
        assert client.session["_auth_user_id"] == str(get_user_model().objects.get(email="amina@example.fr").pk)
        assert response["Location"] == reverse("account_overview")

    def test_the_french_pages_and_email_are_in_french(self, client, django_capture_on_commit_callbacks):
        page = client.get("/fr/account/signup/").content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            sign_up(client, language="fr")

        assert "Création de compte" in page and 'lang="fr"' in page
        assert mail.outbox[0].subject == "Souk Export: Confirmez votre adresse e-mail"
        assert "/fr/account/confirm-email/" in mail.outbox[0].body

    def test_the_arabic_pages_are_in_arabic_and_right_to_left(self, client):
        page = client.get("/ar/account/signup/").content.decode()
        assert 'dir="rtl"' in page and "الاشتراك" in page and 'class="site-header"' in page


class TestPasswordReset:
    def test_a_reset_email_leads_to_a_new_password_that_logs_in(self, client, django_capture_on_commit_callbacks):
        user = get_user_model().objects.create_user("amina", "amina@example.fr", "old-password-123")
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

        with django_capture_on_commit_callbacks(execute=True):
            client.post("/en/account/password/reset/", {"email": "amina@example.fr"}, HTTP_HOST="souk.example")
        link = link_in(mail.outbox[0])
        assert link.startswith("http://souk.example/en/account/password/reset/key/")
        form_url = client.get(link.split("souk.example", 1)[1])["Location"]
        client.post(form_url, {"password1": PASSWORD, "password2": PASSWORD})

        assert client.login(username="amina", password=PASSWORD) is True

    def test_an_unknown_address_is_not_revealed(self, client, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/en/account/password/reset/", {"email": "nobody@example.fr"})
        assert response.status_code == 302 and response["Location"] == reverse("account_reset_password_done")
