from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomsConfig(AppConfig):
    name = "customs"
    verbose_name = _("Customs and taxes")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .models import DestinationRule, DestinationTaxRate
        from .selectors import rules_changed

        for model in (DestinationRule, DestinationTaxRate):
            post_save.connect(lambda **kwargs: rules_changed(), sender=model, weak=False,
                              dispatch_uid=f"customs-rules-changed-save-{model.__name__}")
            post_delete.connect(lambda **kwargs: rules_changed(), sender=model, weak=False,
                                dispatch_uid=f"customs-rules-changed-delete-{model.__name__}")
