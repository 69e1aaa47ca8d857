"""What a seller's workspace keeps aside: photos of unfinished listings, and pages withdrawn while the
seller is suspended."""


from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from config.storage import private_storage


def pending_photo_storage():
    """Photos of a listing form that had an error wait outside MEDIA_ROOT: nothing serves them."""
    return private_storage


class PendingListingPhoto(models.Model):
    """A photo sent with a quick listing form that had an error, kept to be attached on the next try."""

    seller = models.ForeignKey("sellers.Seller", on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(upload_to="pending-listing-photos/%Y/%m/", storage=pending_photo_storage, max_length=200)
    original_name = models.CharField(max_length=255)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("photo awaiting its listing")
        verbose_name_plural = _("photos awaiting their listing")

    def __str__(self):
        return self.original_name


class WithdrawnPage(models.Model):
    """A page a seller's suspension unpublished, to publish again when the seller is reinstated."""

    seller = models.ForeignKey("sellers.Seller", on_delete=models.CASCADE, related_name="withdrawn_pages")
    page = models.OneToOneField("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    withdrawn_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("withdrawn page")
        verbose_name_plural = _("withdrawn pages")

    def __str__(self):
        return f"{self.page_id} ({self.seller})"
