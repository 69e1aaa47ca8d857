"""Supporting documents: what is accepted, told from the content, never from the file's name."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# The first bytes of each accepted type.
SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
}


def document_content_type(upload) -> str:
    """The document's type as its content shows it; raises ValidationError for a file too big or of another type."""
    if upload.size > settings.SELLER_DOCUMENT_MAX_SIZE:
        raise ValidationError(
            _("“%(name)s” is %(size)s; documents may be %(limit)s at most.")
            % {"name": upload.name, "size": filesizeformat(upload.size), "limit": filesizeformat(settings.SELLER_DOCUMENT_MAX_SIZE)},
            code="document_too_large",
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, content_type in SIGNATURES.items():
        if head.startswith(signature):
            return content_type
    raise ValidationError(
        _("“%(name)s” is not a PDF, JPEG or PNG file.") % {"name": upload.name}, code="document_type"
    )
