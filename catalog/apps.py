from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = _("Catalog")

    def ready(self):
        from . import signals  # noqa: F401
        from .forms import ProductPageForm
        from .models import ProductPage

        # Assigned here because the form is built from the Product model defined beside the page.
        ProductPage.base_form_class = ProductPageForm
