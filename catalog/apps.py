from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = _("Catalog")

    def ready(self):
        import PIL.Image
        from django.conf import settings

        from . import signals  # noqa: F401
        from .forms import CollectionScopedPageForm, ProductPageForm
        from .models import CategoryIndexPage, HomePage, ProductPage, SellerIndexPage, SellerPage

        # Assigned here because the form is built from the Product model defined beside the page.
        ProductPage.base_form_class = ProductPageForm
        for page_model in (HomePage, CategoryIndexPage, SellerIndexPage, SellerPage):
            page_model.base_form_class = CollectionScopedPageForm


        # Phones' photos (HEIC) open in Pillow wherever an image is read, not only where Willow is loaded.
        from pillow_heif import register_heif_opener

        register_heif_opener()

        # Pillow refuses, from the header, images of more than twice this (and warns above it);
        # renditions and any code that opens an image directly are bounded too, not only uploads.
        if settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS:
            PIL.Image.MAX_IMAGE_PIXELS = settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS
