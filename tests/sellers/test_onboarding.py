"""Onboarding of sellers: documents that survive a form error, regions and trades of the chosen
country, password rules up front, the chamber's alert and dashboard panel, Verify and Reject on the
application's page, login instructions in the applicant's emails, names in another script."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from sellers.held_uploads import held_uploads_purge
from sellers.models import HeldRegistrationUpload, Seller, SellerDocument
from sellers.roles import CHAMBER_STAFF_GROUP
from sellers.services import seller_reject, seller_verify
from sellers.tasks import seller_email_send
from tests.factories.labels import inspector_create
from tests.factories.sellers import SellerFactory, SellerMemberFactory, UserFactory, trade
from tests.factories.sellers import registration_form_data as form_data

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj\n%%EOF\n"


def hidden_token(response) -> str:
    match = re.search(r'name="upload_token" value="([^"]+)"', response.content.decode())
    assert match, "the re-rendered form carries the token of its held documents"
    return match.group(1)


@pytest.fixture
def chamber_staff():
    group = Group.objects.get_or_create(name=CHAMBER_STAFF_GROUP)[0]
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin"),
        *Permission.objects.filter(content_type__app_label="sellers", codename__in=("view_seller", "change_seller")),
    )
    user = UserFactory(username="chamber-staff", email="staff@chamber.example")
    user.groups.add(group)
    return user


class TestDocumentsSurviveAFormError:
    def test_a_valid_document_is_held_privately_and_shown_as_attached(self, client, settings):
        response = client.post("/en/sell/", {**form_data(email="not an email"), "identity": SimpleUploadedFile("id.pdf", PDF)})

        assert response.status_code == 200 and response.context["form"].errors["email"]
        held = HeldRegistrationUpload.objects.get()
        assert held.field == "identity" and held.original_name == "id.pdf"
        assert Path(held.file.path).is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT))
        assert "Already attached: “id.pdf”" in response.content.decode()
        assert hidden_token(response) == client.session["sellers.registration_upload_token"]
        assert not Seller.objects.exists()

    def test_sending_the_form_again_attaches_the_held_document(self, client, django_capture_on_commit_callbacks):
        first = client.post("/en/sell/", {**form_data(email="not an email"), "identity": SimpleUploadedFile("id.pdf", PDF)})
        held_path = Path(HeldRegistrationUpload.objects.get().file.path)

        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/en/sell/", {**form_data(), "upload_token": hidden_token(first)})

        assert response.status_code == 302
        document = SellerDocument.objects.get(seller=Seller.objects.get())
        assert document.kind == SellerDocument.Kind.IDENTITY and document.original_name == "id.pdf"
        with document.file.open("rb") as stored:
            assert stored.read() == PDF
        assert not HeldRegistrationUpload.objects.exists()
        assert not held_path.exists()

    def test_a_new_file_replaces_the_held_one(self, client):
        first = client.post("/en/sell/", {**form_data(email="x"), "identity": SimpleUploadedFile("old.pdf", PDF)})
        second = client.post("/en/sell/", {**form_data(email="x"), "upload_token": hidden_token(first),
                                           "identity": SimpleUploadedFile("new.pdf", PDF)})
        assert list(HeldRegistrationUpload.objects.values_list("original_name", flat=True)) == ["new.pdf"]
        assert "Already attached: “new.pdf”" in second.content.decode()

    def test_a_fresh_form_does_not_attach_what_an_abandoned_attempt_held(self, client):
        client.post("/en/sell/", {**form_data(email="x"), "identity": SimpleUploadedFile("id.pdf", PDF)})
        assert 'name="upload_token"' not in client.get("/en/sell/").content.decode()
        response = client.post("/en/sell/", form_data())
        assert response.status_code == 302
        assert not SellerDocument.objects.exists() and not HeldRegistrationUpload.objects.exists()

    def test_a_bad_document_is_not_held(self, client):
        response = client.post("/en/sell/", {**form_data(email="x"), "statutes": SimpleUploadedFile("s.pdf", b"<?php evil")})
        assert "not a PDF, JPEG or PNG" in response.content.decode()
        assert not HeldRegistrationUpload.objects.exists()

    def test_a_forged_token_is_refused_with_a_clear_error(self, client):
        response = client.post("/en/sell/", {**form_data(), "upload_token": "forged-token"})
        assert response.status_code == 200
        assert "Attach them again" in " ".join(response.context["form"].non_field_errors())
        assert not Seller.objects.exists()

    def test_another_visitor_cannot_claim_the_held_documents(self, client):
        first = client.post("/en/sell/", {**form_data(email="x"), "identity": SimpleUploadedFile("id.pdf", PDF)})
        stranger = Client()
        response = stranger.post("/en/sell/", {**form_data(email="thief@example.org"), "upload_token": hidden_token(first)})
        assert response.status_code == 200 and response.context["form"].non_field_errors()
        assert not Seller.objects.exists() and not SellerDocument.objects.exists()
        assert HeldRegistrationUpload.objects.count() == 1  # still the applicant's

    def test_held_documents_expire_and_are_purged(self, client, settings, django_capture_on_commit_callbacks):
        client.post("/en/sell/", {**form_data(email="x"), "identity": SimpleUploadedFile("id.pdf", PDF)})
        held = HeldRegistrationUpload.objects.get()
        path = Path(held.file.path)
        HeldRegistrationUpload.objects.filter(pk=held.pk).update(
            created_at=timezone.now() - timedelta(hours=settings.SELLER_HELD_UPLOAD_HOURS + 1)
        )
        with django_capture_on_commit_callbacks(execute=True):
            assert held_uploads_purge() == 1
        assert not HeldRegistrationUpload.objects.exists() and not path.exists()
        assert settings.CELERY_BEAT_SCHEDULE["seller-held-uploads-purge"]["task"] == "sellers.tasks.held_uploads_purge_task"


class TestRegionsAndTradesFollowTheCountry:
    def test_the_country_comes_first_and_the_lists_are_grouped_by_country(self, client):
        html = client.get("/en/sell/").content.decode()
        assert html.index('name="country"') < html.index('name="region"') < html.index('name="trades"')
        assert '<optgroup label="Morocco">' in html and '<optgroup label="Cameroon">' in html
        assert re.search(r'<option value="\d+" data-country="CM"', html)
        assert re.search(r'<input type="checkbox" name="trades" value="\d+"[^>]* data-country="MA"', html)
        assert "frontend/js/seller_registration" in html
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)  # no inline script (CSP)

    def test_a_moroccan_region_with_cameroon_is_refused(self, client):
        response = client.post("/en/sell/", form_data(country="CM", trades=[]))
        assert response.status_code == 200
        assert response.context["form"].errors["region"]
        assert not Seller.objects.exists()

    def test_trades_of_another_country_are_refused(self, client):
        response = client.post("/en/sell/", form_data(trades=[trade("1.03.01").pk, trade_of("CM").pk]))
        assert response.context["form"].errors["trades"]
        assert not Seller.objects.exists()


def trade_of(country):
    from sellers.models import Trade

    return Trade.objects.filter(country=country, level=Trade.Level.ACTIVITY).first()


class TestPasswordRules:
    def test_the_rules_are_stated_under_the_field(self, client):
        html = client.get("/en/sell/").content.decode()
        help_text = html[html.index('id="id_password_helptext"'):]
        assert "at least 8 characters" in help_text and "entirely numeric" in help_text

    def test_no_message_names_a_username(self, client):
        for password in ("fatima@example.org", "fatimaexample", "12345678", "password"):
            response = client.post("/en/sell/", form_data(password=password))
            errors = " ".join(response.context["form"].errors.get("password", []))
            assert errors and "username" not in errors.lower(), (password, errors)
        similar = client.post("/en/sell/", form_data(password="fatima@example.org"))
        assert "email" in " ".join(similar.context["form"].errors["password"]).lower()


class TestStaffAreToldOfNewApplications:
    def test_chamber_staff_get_an_email_with_a_link_to_the_application(
        self, client, chamber_staff, settings, django_capture_on_commit_callbacks
    ):
        UserFactory(username="someone-else")
        with django_capture_on_commit_callbacks(execute=True):
            client.post("/en/sell/", form_data(register_number="RNA-00123456"), HTTP_HOST="souk.example",
                        secure=True)
        seller = Seller.objects.get()
        to_staff = [message for message in mail.outbox if message.to == [chamber_staff.email]]
        assert len(to_staff) == 1 and "Atelier Fatima Zahra" in to_staff[0].subject
        edit = reverse("wagtailsnippets_sellers_seller:edit", args=[seller.pk])
        assert f"https://souk.example{edit}" in to_staff[0].body
        assert "127.0.0.1" not in to_staff[0].body
        assert sorted(message.to[0] for message in mail.outbox) == ["fatima@example.org", "staff@chamber.example"]

    def test_the_dashboard_lists_pending_applications_for_staff_only(self, client, chamber_staff):
        pending = SellerFactory(legal_name="Coopérative Tafraout", status=Seller.Status.PENDING)
        SellerFactory(legal_name="Already verified", status=Seller.Status.VERIFIED)
        client.force_login(chamber_staff)
        html = client.get("/admin/").content.decode()
        assert "New seller applications (1)" in html
        assert reverse("wagtailsnippets_sellers_seller:edit", args=[pending.pk]) in html
        assert "Already verified" not in html

    @pytest.mark.parametrize("role", ["manager", "inspector"])
    def test_sellers_and_inspectors_do_not_see_the_panel(self, client, chamber_staff, tree, role):
        SellerFactory(legal_name="Coopérative Tafraout", status=Seller.Status.PENDING)
        seller = SellerFactory(status=Seller.Status.PENDING, register_number="4402/2016")
        manager = SellerMemberFactory(seller=seller).user
        seller_verify(seller=seller, by=chamber_staff)
        client.force_login(manager if role == "manager" else inspector_create("inspector"))
        response = client.get("/admin/")
        assert response.status_code == 200
        assert "New seller applications" not in response.content.decode()


class TestDecisionButtonsOnTheApplication:
    def test_staff_see_verify_and_reject_in_the_applications_header(self, client, chamber_staff):
        seller = SellerFactory(status=Seller.Status.PENDING)
        client.force_login(chamber_staff)
        html = client.get(reverse("wagtailsnippets_sellers_seller:edit", args=[seller.pk])).content.decode()
        for decision in ("verify", "reject"):
            url = reverse("wagtailsnippets_sellers_seller:decide", args=(seller.pk, decision))
            assert re.search(rf'<a[^>]*href="{url}"[^>]*data-seller-decision="{decision}"|'
                             rf'<a[^>]*data-seller-decision="{decision}"[^>]*href="{url}"', html), decision
        assert 'data-seller-decision="suspend"' not in html

    def test_a_verified_seller_offers_suspend_instead(self, client, chamber_staff):
        seller = SellerFactory(status=Seller.Status.VERIFIED)
        client.force_login(chamber_staff)
        html = client.get(reverse("wagtailsnippets_sellers_seller:edit", args=[seller.pk])).content.decode()
        assert 'data-seller-decision="suspend"' in html and 'data-seller-decision="verify"' not in html

    @pytest.mark.parametrize("role", ["manager", "inspector"])
    def test_sellers_and_inspectors_neither_see_nor_use_them(self, client, chamber_staff, tree, role):
        applicant = SellerFactory(status=Seller.Status.PENDING)
        seller = SellerFactory(status=Seller.Status.PENDING, register_number="4402/2016")
        manager = SellerMemberFactory(seller=seller).user
        seller_verify(seller=seller, by=chamber_staff)
        client.force_login(manager if role == "manager" else inspector_create("inspector"))
        for target in (applicant, seller):
            edit = client.get(reverse("wagtailsnippets_sellers_seller:edit", args=[target.pk]))
            assert edit.status_code in (302, 403) or "data-seller-decision" not in edit.content.decode()
            decide = client.post(reverse("wagtailsnippets_sellers_seller:decide", args=(target.pk, "verify")))
            assert decide.status_code in (302, 403)
        applicant.refresh_from_db()
        assert applicant.status == Seller.Status.PENDING


class TestApplicantEmailsSayHowToLogIn:
    @pytest.mark.parametrize("event", ["registered", "verify", "reject"])
    def test_the_email_gives_the_login_address_and_the_email_to_sign_in_with(self, settings, event):
        settings.WAGTAILADMIN_BASE_URL = "https://souk.example"
        seller = SellerFactory(status=Seller.Status.PENDING, email="contact@atelier.example", language="en")
        SellerMemberFactory(seller=seller, user__username="fatima", user__email="fatima@example.org")
        seller_email_send(seller.pk, event)
        body = mail.outbox[-1].body
        assert "https://souk.example/admin/login/" in body
        assert "sign in with your email address fatima@example.org" in body

    def test_the_decisions_send_it_too(self, chamber_staff, tree, django_capture_on_commit_callbacks):
        seller = SellerFactory(status=Seller.Status.PENDING, register_number="4402/2016")
        SellerMemberFactory(seller=seller, user__username="amina", user__email="amina@example.org")
        with django_capture_on_commit_callbacks(execute=True):
            seller_reject(seller=seller, by=chamber_staff, reason="The statutes are missing.")
        assert "sign in with your email address amina@example.org" in mail.outbox[-1].body
        assert "The statutes are missing." in mail.outbox[-1].body


class TestNamesInAnotherScript:
    def test_the_name_follows_the_script_of_the_language(self):
        seller = SellerFactory(legal_name="تعاونية أمل للنسيج", name_alternate="Coopérative Amal du Tissage")
        with translation.override("fr"):
            assert seller.display_name == "Coopérative Amal du Tissage"
        with translation.override("ar"):
            assert seller.display_name == "تعاونية أمل للنسيج"
        latin = SellerFactory(legal_name="Coopérative Tighanimine", name_alternate="تعاونية تيغانيمين")
        with translation.override("ar"):
            assert latin.display_name == "تعاونية تيغانيمين"
        with translation.override("en"):
            assert latin.display_name == "Coopérative Tighanimine"
        assert SellerFactory(legal_name="Atelier Safi").display_name == "Atelier Safi"

    def test_the_registration_form_records_it(self, client):
        response = client.post("/en/sell/", form_data(legal_name="تعاونية أمل", name_alternate="Cooperative Amal"))
        assert response.status_code == 302
        assert Seller.objects.get().name_alternate == "Cooperative Amal"

    def test_product_cards_show_the_name_in_the_pages_script(self, tree):
        from catalog.models import ProductPage
        from catalog.selectors import product_cards
        from tests.factories.catalog import product_create, seller_pages

        pages = seller_pages(tree)
        product = product_create(pages, title="Amal rug")
        Seller.objects.filter(pk=product.seller_id).update(legal_name="تعاونية أمل", name_alternate="Cooperative Amal")
        cards = {}
        for language in ("en", "ar"):
            with translation.override(language):
                cards[language] = product_cards(ProductPage.objects.filter(product=product, locale__language_code=language))[0]
        assert cards["en"].seller_name == "Cooperative Amal"
        assert cards["ar"].seller_name == "تعاونية أمل"

    def test_the_seller_and_product_pages_show_it_in_latin_languages(self, client, tree):
        from catalog.models import ProductPage, SellerPage
        from tests.factories.catalog import product_create, seller_pages

        seller = SellerFactory(legal_name="تعاونية أمل", name_alternate="Cooperative Amal")
        product = product_create(seller_pages(tree, seller), title="Amal rug")
        seller_page = client.get(SellerPage.objects.get(seller=seller, locale__language_code="en").url).content.decode()
        assert "<bdi>Cooperative Amal</bdi>" in seller_page
        product_page = client.get(ProductPage.objects.get(product=product, locale__language_code="en").url).content.decode()
        assert "<bdi>Cooperative Amal</bdi>" in product_page
        arabic = client.get(ProductPage.objects.get(product=product, locale__language_code="ar").url).content.decode()
        assert "<bdi>تعاونية أمل</bdi>" in arabic and "Cooperative Amal" not in arabic
