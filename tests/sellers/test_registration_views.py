"""The public registration form and the applicant's status page."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.models import Locale

from sellers.models import RegistrationGuide, Seller
from tests.factories.sellers import SellerFactory, UserFactory
from tests.factories.sellers import registration_form_data as form_data

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n%%EOF\n"


class TestRegistrationForm:
    def test_the_form_is_public_and_labelled(self, client):
        html = client.get("/fr/sell/").content.decode()
        assert 'enctype="multipart/form-data"' in html
        assert '<label for="id_register_number"' in html

    def test_an_informal_artisan_registers_and_sees_the_steps_to_obtain_a_number(self, client):
        RegistrationGuide.objects.create(
            country="MA", locale=Locale.objects.get(language_code="en"), steps="<p>Go to the chamber of Safi.</p>"
        )
        response = client.post("/en/sell/", {**form_data(), "identity": SimpleUploadedFile("id.pdf", PDF)})

        assert response.status_code == 302 and response["Location"] == "/en/sell/registered/"
        seller = Seller.objects.get()
        assert seller.status == Seller.Status.AWAITING_REGISTRATION
        assert client.login(username="fatima@example.org", password="clay-and-cobalt-2026")
        page = client.get("/en/sell/application/").content.decode()
        assert "awaiting registration" in page and "Go to the chamber of Safi." in page

    def test_a_duplicate_number_shows_the_message_on_the_field_and_keeps_what_was_typed(self, client, settings):
        SellerFactory(kind="artisan", register_number="RNA-00412345")
        response = client.post("/en/sell/", form_data(register_number="rna 00412345"))

        assert response.status_code == 200
        assert settings.CHAMBER_CONTACT_EMAIL in " ".join(response.context["form"].errors["register_number"])
        assert 'value="Atelier Fatima Zahra"' in response.content.decode()
        assert Seller.objects.count() == 1

    def test_a_bad_document_is_reported_and_nothing_is_saved(self, client):
        response = client.post("/en/sell/", {**form_data(), "statutes": SimpleUploadedFile("statutes.pdf", b"<?php evil")})
        assert response.status_code == 200
        assert "not a PDF, JPEG or PNG" in response.content.decode()
        assert not Seller.objects.filter(legal_name="Atelier Fatima Zahra").exists()

    @pytest.mark.parametrize("trade_id", ["99999999999999999999999999", "-9223372036854775809"])
    def test_a_trade_id_beyond_the_databases_integers_is_an_invalid_choice(self, client, trade_id):
        # Found by the fuzz stage: SQLite raised OverflowError, a 500.
        response = client.post("/en/sell/", form_data(trades=[trade_id]))
        assert response.status_code == 200
        assert response.context["form"].errors["trades"]
        assert not Seller.objects.exists()

    def test_the_application_page_needs_a_login(self, client):
        response = client.get("/en/sell/application/")
        assert response.status_code == 302 and "login" in response["Location"]

    def test_the_applicant_is_written_to_in_the_language_it_registered_in(self, client, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            client.post("/fr/sell/", form_data(register_number="RNA-00123456"))
        assert Seller.objects.get().language == "fr"
        assert "Souk Export" in mail.outbox[0].subject and "Bonjour" in mail.outbox[0].body


class TestRegistrationDoesNotTellWhetherAnEmailHasAnAccount:
    def test_a_known_and_a_new_address_get_the_same_answer_and_one_email_each(
        self, client, django_capture_on_commit_callbacks
    ):
        UserFactory(username="known", email="known@example.org")
        answers = []
        for email in ("known@example.org", "new@example.org"):
            with django_capture_on_commit_callbacks(execute=True):
                response = client.post("/en/sell/", form_data(email=email), follow=True)
            answers.append((response.redirect_chain, response.status_code, response.content))
            assert "_auth_user_id" not in client.session

        assert answers[0] == answers[1]
        assert sorted(message.to[0] for message in mail.outbox) == ["known@example.org", "new@example.org"]
        assert not Seller.objects.filter(email="known@example.org").exists()

    def test_a_name_made_only_of_direction_overrides_is_refused_on_the_form(self, client):
        response = client.post("/en/sell/", form_data(legal_name="\u202e\u202d\u202e"))
        assert response.status_code == 200
        assert "hidden text-direction characters" in " ".join(response.context["form"].errors["legal_name"])
        assert not Seller.objects.exists()
