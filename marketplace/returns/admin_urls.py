"""Where a return is handled in the admin."""

from django.urls import reverse

from config.public_urls import public_url

from .models import ReturnRequest


def return_admin_url(return_request: ReturnRequest, *, absolute: bool = False) -> str:
    path = reverse("returns_admin:inspect", args=[return_request.pk])
    return public_url(path) if absolute else path
