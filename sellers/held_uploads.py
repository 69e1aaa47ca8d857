"""Documents attached to a registration form that had an error: kept privately, for the applicant's
browser session only, and attached again when the form is sent again.

A random token, kept in the session and repeated in a hidden field, names the held files; a posted
token that is not the session's is refused, so nobody claims another applicant's documents.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from .documents import document_content_type
from .models import HeldRegistrationUpload

SESSION_KEY = "sellers.registration_upload_token"


def held_upload_token(*, session, posted: str | None) -> str:
    """The session's token for held documents (made on first use).

    Raises ValidationError when a token was posted that is not this session's (forged, another
    browser's or expired with the session).
    """
    token = session.get(SESSION_KEY)
    if posted and not (token and constant_time_compare(str(posted), token)):
        raise ValidationError(
            _("The documents attached earlier could not be found (the page may have been open too long). "
              "Attach them again."),
            code="held_upload_token",
        )
    if not token:
        token = secrets.token_urlsafe(32)
        session[SESSION_KEY] = token
    return token


def _expiry_limit():
    return timezone.now() - timedelta(hours=settings.SELLER_HELD_UPLOAD_HOURS)


def held_uploads_for(*, token: str) -> dict[str, HeldRegistrationUpload]:
    """The documents held under ``token`` and not expired, by form field."""
    rows = HeldRegistrationUpload.objects.filter(token=token, created_at__gte=_expiry_limit())
    return {row.field: row for row in rows}


def held_upload_keep(*, token: str, field: str, upload) -> HeldRegistrationUpload:
    """Hold an uploaded document for the session, replacing the one held for the same field.

    Raises ValidationError for a document that is too big or not a PDF, JPEG or PNG (nothing is kept).
    """
    content_type = document_content_type(upload)
    with transaction.atomic():
        previous = HeldRegistrationUpload.objects.filter(token=token, field=field).first()
        held = HeldRegistrationUpload(
            token=token, field=field, original_name=upload.name[:255], content_type=content_type, size=upload.size
        )
        held.full_clean(exclude=["file"], validate_constraints=False)
        if previous is not None:
            _delete(previous)
        held.file.save(upload.name, upload, save=False)
        held.save()
    return held


def held_upload_file(held: HeldRegistrationUpload) -> File:
    """The held document as an uploaded file, under its original name, for the registration service."""
    return File(held.file.open("rb"), name=held.original_name)


def held_uploads_release(*, token: str) -> None:
    """Delete the documents held under ``token`` (after the registration stored its own copies)."""
    for held in HeldRegistrationUpload.objects.filter(token=token):
        _delete(held)


def held_uploads_purge() -> int:
    """Delete the held documents past their time; returns how many."""
    expired = list(HeldRegistrationUpload.objects.filter(created_at__lt=_expiry_limit()))
    for held in expired:
        _delete(held)
    return len(expired)


def _delete(held: HeldRegistrationUpload) -> None:
    name = held.file.name
    held.delete()
    if name:
        transaction.on_commit(lambda: held.file.storage.delete(name))
