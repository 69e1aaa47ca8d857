"""Uploads through the Wagtail admin's image form: bad files are refused with a message, nothing is saved."""

import io

import PIL.Image
import PIL.ImageFile
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images import get_image_model

from labels.models import LabelEvidence
from tests.factories.catalog import jpeg_bytes, png_header_declaring
from tests.factories.labels import applied
from tests.factories.sellers import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    return client


def upload(client, name, content, content_type="image/jpeg"):
    return client.post(
        reverse("wagtailimages:add"),
        {"title": "Photo", "file": SimpleUploadedFile(name, content, content_type=content_type), "collection": 1},
    )


def png_bytes(width, height) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("1", (width, height)).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def truncated_png() -> bytes:
    buffer = io.BytesIO()
    PILImage.effect_noise((96, 96), 64).convert("RGB").save(buffer, format="PNG")
    whole = buffer.getvalue()
    return whole[: len(whole) // 2]


@pytest.fixture
def decoding_forbidden(monkeypatch):
    """Fails the test if any image is decoded: the refusal must come from the header alone."""

    def load(self):
        raise AssertionError("the image was decoded before its pixel count was checked")

    monkeypatch.setattr(PIL.ImageFile.ImageFile, "load", load)


def upload_through(client, endpoint, name, content, content_type="image/png"):
    file = SimpleUploadedFile(name, content, content_type=content_type)
    if endpoint == "wagtailimages:add_multiple":
        return client.post(reverse(endpoint), {"files[]": file})
    prefix = "image-chooser-upload-" if endpoint == "wagtailimages_chooser:create" else ""
    return client.post(reverse(endpoint), {f"{prefix}title": "Photo", f"{prefix}file": file, f"{prefix}collection": 1})


UPLOAD_ENDPOINTS = ["wagtailimages:add", "wagtailimages:add_multiple", "wagtailimages_chooser:create"]


class TestImageBombs:
    def test_pillow_refuses_what_wagtail_refuses(self, settings):
        assert PIL.Image.MAX_IMAGE_PIXELS == settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS

    def test_the_bomb_is_tiny(self, monkeypatch):
        monkeypatch.setattr(PIL.Image, "MAX_IMAGE_PIXELS", None)
        bomb = png_header_declaring(12_000, 12_000)
        assert len(bomb) < 100_000
        with PIL.Image.open(io.BytesIO(bomb)) as image:
            assert image.size == (12_000, 12_000)

    @pytest.mark.parametrize("endpoint", UPLOAD_ENDPOINTS)
    def test_144_megapixels_are_refused_from_the_header(self, admin_client, decoding_forbidden, endpoint):
        response = upload_through(admin_client, endpoint, "bomb.png", png_header_declaring(12_000, 12_000))
        assert response.status_code in (200, 400)
        assert "pixels" in response.content.decode()
        assert not get_image_model().objects.exists()

    def test_pixels_under_pillows_own_bomb_limit_are_refused_from_the_header(self, admin_client, decoding_forbidden,
                                                                             settings):
        settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS = 1_000_000
        response = upload(admin_client, "big.png", png_header_declaring(2_000, 1_000), "image/png")
        assert response.status_code == 200
        assert "pixels" in " ".join(response.context["form"].errors["file"])
        assert not get_image_model().objects.exists()

    @pytest.mark.parametrize("endpoint", UPLOAD_ENDPOINTS)
    def test_a_truncated_png_is_a_form_error(self, admin_client, endpoint):
        response = upload_through(admin_client, endpoint, "cut.png", truncated_png())
        assert response.status_code in (200, 400)
        assert "incomplete or damaged" in response.content.decode()
        assert not get_image_model().objects.exists()


class TestLabelEvidencePhotos:
    def test_a_photo_declaring_too_many_pixels_is_refused_from_its_header(self, scheme, applicant, decoding_forbidden):
        evidence = [SimpleUploadedFile("loom.png", png_header_declaring(12_000, 12_000))]
        with pytest.raises(ValidationError) as error:
            applied(scheme, applicant, evidence=evidence)
        assert "too many pixels" in str(error.value.message_dict["evidence"])
        assert not LabelEvidence.objects.exists()


class TestImageUpload:
    def test_a_real_photo_is_saved(self, admin_client):
        response = upload(admin_client, "rug.jpg", jpeg_bytes())
        assert response.status_code == 302
        assert get_image_model().objects.count() == 1

    def test_a_file_that_is_not_an_image_is_refused(self, admin_client):
        response = upload(admin_client, "invoice.jpg", b"%PDF-1.7 not a picture at all")
        assert response.status_code == 200
        assert response.context["form"].errors["file"]
        assert not get_image_model().objects.exists()

    def test_a_decompression_bomb_is_refused(self, admin_client, settings):
        settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
        bomb = png_bytes(10_000, 10_000)  # 100 megapixels in a few kilobytes
        assert len(bomb) < 100_000
        response = upload(admin_client, "bomb.png", bomb, "image/png")
        assert response.status_code == 200
        assert "pixels" in " ".join(response.context["form"].errors["file"])
        assert not get_image_model().objects.exists()

    def test_an_oversized_file_is_refused(self, admin_client, settings):
        settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 1024
        response = upload(admin_client, "large.jpg", jpeg_bytes(400, 400) + b"\0" * 2048)
        assert response.status_code == 200
        assert "too big" in " ".join(response.context["form"].errors["file"])
        assert not get_image_model().objects.exists()

    def test_a_file_type_not_allowed_is_refused(self, admin_client):
        buffer = io.BytesIO()
        PILImage.new("RGB", (8, 8)).save(buffer, format="GIF")
        response = upload(admin_client, "anim.gif", buffer.getvalue(), "image/gif")
        assert response.status_code == 200
        assert response.context["form"].errors["file"]
        assert not get_image_model().objects.exists()
