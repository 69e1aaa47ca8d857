from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class LabelsConfig(AppConfig):
    name = "labels"
    verbose_name = _("Quality labels")

    def ready(self):
        # Imported in ready(): these modules import models, loadable only once the registry is ready.
        from catalog.badges import product_badges_register

        from . import signals  # noqa: F401  (connects the receivers that keep cached pages' badges current)
        from .selectors import product_active_labels

        # The catalogue shows labels as badges without importing labels.
        product_badges_register(product_active_labels)
        post_migrate.connect(_label_groups_ensure, sender=self)


def _label_groups_ensure(sender, using="default", **kwargs):
    # apps.py loads before the app registry is ready: what needs the models is imported when migrate runs.
    from .services import label_groups_ensure

    label_groups_ensure(using=using)
