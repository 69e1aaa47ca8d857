"""The form of every Wagtail image upload (add, multiple add, chooser upload): WAGTAILIMAGES_IMAGE_FORM_BASE."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

from .validators import validate_image_pixels


class HeaderCheckedImageField(WagtailImageField):
    """Wagtail's image field, with the pixel count read from the header before anything is decoded.

    Wagtail reads the size through Willow, which decodes the whole image first (``PillowImage.open``
    calls ``load()``): a small file declaring 144 megapixels took half a gigabyte before being refused,
    and a truncated file raised from the decoder, a 500.
    """

    default_error_messages = {
        "damaged_image": _("This image is incomplete or damaged: upload the whole file again."),
    }

    def to_python(self, data):
        if data and hasattr(data, "read"):
            try:
                validate_image_pixels(data)
            except ValidationError as error:
                if error.code == "file_too_many_pixels":
                    raise
                # Not readable as an image: Wagtail's own check names the accepted formats.
        try:
            return super().to_python(data)
        except (OSError, SyntaxError, ValueError) as error:
            raise ValidationError(self.error_messages["damaged_image"], code="damaged_image") from error


class CheckedImageForm(BaseImageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built per form, as Wagtail builds its own field per form class, so that the size limits
        # are read from the settings when the form is made.
        if "file" in self.fields:
            wagtail_field = self.fields["file"]
            self.fields["file"] = HeaderCheckedImageField(
                label=wagtail_field.label, required=wagtail_field.required, widget=wagtail_field.widget
            )
