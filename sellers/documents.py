"""Supporting documents: what is accepted, told from the content, never from the file's name."""

import PIL.Image
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
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
            if content_type.startswith("image/"):
                image_size_from_header(upload, max_pixels=settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS)
            return content_type
    raise ValidationError(
        _("“%(name)s” is not a PDF, JPEG or PNG file.") % {"name": upload.name}, code="document_type"
    )


def image_size_from_header(upload, *, max_pixels: int | None) -> tuple[int, int]:
    """The image's width and height, read from its header only: nothing is decoded.

    Raises ValidationError when the header declares more than ``max_pixels`` pixels (a small file can
    declare enough to fill the server's memory once decoded) or when Pillow cannot read the header.
    """
    upload.seek(0)
    try:
        # Image.open reads the header and leaves the pixels undecoded until load().
        with PIL.Image.open(upload) as image:
            width, height = image.size
    except (PIL.Image.DecompressionBombWarning, PIL.Image.DecompressionBombError):
        # Pillow's own limit (set from WAGTAILIMAGES_MAX_IMAGE_PIXELS) refused the header already.
        width = height = None
    except (OSError, SyntaxError, ValueError) as error:
        raise ValidationError(
            _("“%(name)s” is not an image that can be read.") % {"name": upload.name}, code="invalid_image"
        ) from error
    finally:
        upload.seek(0)
    if width is None or (max_pixels is not None and width * height > max_pixels):
        raise ValidationError(
            _("“%(name)s” has too many pixels (%(pixels)s); images may have %(limit)s pixels at most.")
            % {
                "name": upload.name,
                "pixels": number_format(width * height) if width is not None else _("an unknown number of"),
                "limit": number_format(max_pixels or PIL.Image.MAX_IMAGE_PIXELS),
            },
            code="file_too_many_pixels",
        )
    return width, height
