from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "notices"
    verbose_name = _("Notices and contact point")

    def ready(self):
        post_migrate.connect(_notice_groups_ensure, sender=self)


def _notice_groups_ensure(sender, using="default", **kwargs):
    # inside the function: the services import models, loadable only once the registry is ready
    from .services import notice_groups_ensure

    notice_groups_ensure(using=using)
