from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = _("Catalog")

    def ready(self):
        import PIL.Image
        from django.conf import settings
        from django.db.models.signals import post_migrate

        from . import signals  # noqa: F401
        from .forms import CollectionScopedPageForm, ProductPageForm
        from .models import CategoryIndexPage, HomePage, ProductPage, SellerIndexPage, SellerPage

        # Assigned here because the form is built from the Product model defined beside the page.
        ProductPage.base_form_class = ProductPageForm
        for page_model in (HomePage, CategoryIndexPage, SellerIndexPage, SellerPage):
            page_model.base_form_class = CollectionScopedPageForm

        post_migrate.connect(_label_groups_ensure, sender=self)

        # Phones' photos (HEIC) open in Pillow wherever an image is read, not only where Willow is loaded.
        from pillow_heif import register_heif_opener

        register_heif_opener()

        # Pillow refuses, from the header, images of more than twice this (and warns above it);
        # renditions and any code that opens an image directly are bounded too, not only uploads.
        if settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS:
            PIL.Image.MAX_IMAGE_PIXELS = settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS


def _label_groups_ensure(sender, **kwargs):
    from django.contrib.auth.management import create_permissions

    from .label_services import label_groups_ensure

    # This app may migrate before django.contrib.auth has created its permissions.
    create_permissions(sender, verbosity=0, using=kwargs.get("using", "default"))
    label_groups_ensure()
