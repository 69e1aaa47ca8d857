from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Who may sign in and how often: login throttling, two-factor authentication, request rate limits."""

    name = "accounts"
    verbose_name = _("Accounts and sign-in")

    def ready(self):
        from django.apps import apps
        from django.db.models.signals import post_migrate

        from . import checks  # noqa: F401  (registers the checks)

        # Sent for apps with models only: this one has none, Axes has the attempts it is about.
        post_migrate.connect(_lockout_managers_ensure, sender=apps.get_app_config("axes"))


def _lockout_managers_ensure(sender, **kwargs):
    from django.contrib.auth.management import create_permissions

    from .lockouts import lockout_managers_ensure

    create_permissions(sender, verbosity=0, using=kwargs.get("using", "default"))
    lockout_managers_ensure()
