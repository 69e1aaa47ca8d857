"""Uploads through the Wagtail admin's image form: bad files are refused with a message, nothing is saved."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images import get_image_model

from tests.factories.catalog import jpeg_bytes
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
