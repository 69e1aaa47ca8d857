"""Registration as a service: all or nothing, no duplicates, documents checked by their content."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template

from sellers.models import Seller, SellerDocument, SellerMember
from sellers.services import Registration, seller_register
from tests.factories.catalog import jpeg_bytes, png_header_declaring
from tests.factories.sellers import SellerFactory, region, trade

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def registration(**overrides) -> Registration:
    values = {
        "email": "Amina@Tifaouine.example", "password": "a-long-and-unusual-passphrase", "contact_name": "Amina Ait Ali",
        "kind": "cooperative", "legal_name": "Coopérative Tifaouine", "country": "MA", "region": region("MA-08"),
        "register_number": "2317/2009", "city": "Taznakht", "trades": (trade("1.01.01"),),
        "documents": (("register_certificate", SimpleUploadedFile("certificate.pdf", PDF)),),
    }
    values.update(overrides)
    return Registration(**values)


def counts():
    return (get_user_model().objects.count(), Seller.objects.count(), SellerMember.objects.count(), SellerDocument.objects.count())


class TestRegister:
    def test_creates_the_account_the_pending_seller_its_manager_and_documents(self, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            seller = seller_register(registration())

        assert seller.status == Seller.Status.PENDING
        member = seller.members.get()
        assert member.role == SellerMember.Role.MANAGER and member.user.email == "amina@tifaouine.example"
        assert member.user.check_password("a-long-and-unusual-passphrase")
        document = seller.documents.get()
        assert (document.content_type, document.size) == ("application/pdf", len(PDF))
        assert [message.to for message in mail.outbox] == [["amina@tifaouine.example"]]

    def test_without_a_number_the_artisan_awaits_registration(self):
        seller = seller_register(registration(kind="artisan", register_number="", documents=()))
        assert seller.status == Seller.Status.AWAITING_REGISTRATION

    def test_a_registered_number_written_differently_is_refused_with_whom_to_contact(self, settings):
        SellerFactory(register_number="2317/2009")
        before = counts()
        with pytest.raises(ValidationError) as error:
            seller_register(registration(register_number=" 2317 / 2009 "))
        assert settings.CHAMBER_CONTACT_EMAIL in error.value.message_dict["register_number"][0]
        assert counts() == before

    @pytest.mark.parametrize(
        ("name", "content"),
        [("statutes.pdf", b"MZ\x90\x00 an executable renamed"), ("photo.png", b"<html><script>alert(1)</script>"),
         ("scan.jpg", b"GIF89a not a jpeg")],
    )
    def test_a_document_that_is_not_a_pdf_jpeg_or_png_is_refused_whatever_its_name(self, name, content):
        with pytest.raises(ValidationError) as error:
            seller_register(registration(documents=(("other", SimpleUploadedFile(name, content)),)))
        assert "not a PDF, JPEG or PNG" in error.value.message_dict["documents"][0]
        assert counts() == (0, 0, 0, 0)

    def test_a_real_photo_is_accepted_as_a_document(self):
        seller = seller_register(registration(documents=(("identity", SimpleUploadedFile("id.png", jpeg_bytes())),)))
        assert seller.documents.get().content_type == "image/jpeg"  # told from the content, not the name

    def test_an_oversized_document_is_refused(self, settings):
        settings.SELLER_DOCUMENT_MAX_SIZE = 1024
        big = SimpleUploadedFile("statutes.pdf", PDF + b"0" * 2048)
        with pytest.raises(ValidationError, match="at most"):
            seller_register(registration(documents=(("statutes", big),)))
        assert counts() == (0, 0, 0, 0)

    def test_a_scan_declaring_too_many_pixels_is_refused_from_its_header(self, monkeypatch):
        monkeypatch.setattr("PIL.ImageFile.ImageFile.load", lambda image: pytest.fail("the scan was decoded"))
        bomb = SimpleUploadedFile("identity.png", png_header_declaring(12_000, 12_000))
        with pytest.raises(ValidationError, match="too many pixels"):
            seller_register(registration(documents=(("identity", bomb),)))
        assert counts() == (0, 0, 0, 0)

    def test_html_in_text_fields_is_stored_as_typed_and_shown_escaped(self, client):
        seller = seller_register(registration(legal_name='<script>alert("x")</script> Coop', city="<b>Taznakht</b>"))
        assert seller.legal_name == '<script>alert("x")</script> Coop'
        assert seller.slug == "scriptalertxscript-coop"
        html = Template("{{ seller.legal_name }} {{ seller.city }}").render(Context({"seller": seller}))
        assert "<script>" not in html and "&lt;script&gt;" in html

    def test_a_failure_halfway_saves_nothing_not_even_the_files(self, monkeypatch, settings):
        original_save = SellerDocument.save
        calls = []

        def save_then_fail(document, *args, **kwargs):
            original_save(document, *args, **kwargs)
            calls.append(document.file.name)
            if len(calls) == 2:
                raise RuntimeError("disk full")

        monkeypatch.setattr(SellerDocument, "save", save_then_fail)
        documents = (("statutes", SimpleUploadedFile("a.pdf", PDF)), ("identity", SimpleUploadedFile("b.pdf", PDF)))
        with pytest.raises(RuntimeError):
            seller_register(registration(documents=documents))

        assert counts() == (0, 0, 0, 0)
        storage = SellerDocument._meta.get_field("file").storage
        assert len(calls) == 2 and not any(storage.exists(name) for name in calls)

    def test_an_email_with_an_account_creates_nothing_and_its_owner_is_told_by_email(
        self, django_capture_on_commit_callbacks
    ):
        seller_register(registration())
        before = counts()
        with django_capture_on_commit_callbacks(execute=True):
            result = seller_register(registration(email="AMINA@tifaouine.example", register_number="", legal_name="Other"))

        assert result is None and counts() == before
        assert mail.outbox[-1].to == ["amina@tifaouine.example"]
        assert "already has an account" in mail.outbox[-1].body and "/admin/password_reset/" in mail.outbox[-1].body

    @pytest.mark.parametrize("name", ["\u202e\u202e", "\u200b\u200f\u2066", " \u3164 ", "Atlas\u202egnp.exe"])
    def test_a_name_of_direction_controls_or_invisible_characters_is_refused(self, name):
        with pytest.raises(ValidationError) as error:
            seller_register(registration(legal_name=name, contact_name=name))
        assert set(error.value.message_dict) >= {"legal_name", "contact_name"}
        assert counts() == (0, 0, 0, 0)

    def test_an_arabic_name_is_accepted(self):
        seller = seller_register(registration(legal_name="تعاونية تيفاوين للزرابي"))
        assert seller.legal_name == "تعاونية تيفاوين للزرابي"

    def test_a_weak_password_is_refused(self):
        with pytest.raises(ValidationError) as error:
            seller_register(registration(password="123"))
        assert error.value.message_dict["password"]
