from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Who may sign in and how often (login throttling, two-factor authentication, request rate limits), and
    the buyer's account area (saved addresses, favourites, data export, deleting the account)."""

    name = "accounts"
    verbose_name = _("Accounts and sign-in")

    def ready(self):
        from django.apps import apps
        from django.db.models.signals import post_migrate

        from marketplace.checkout.selectors import saved_address_source_register

        from . import checks, signals  # noqa: F401  (registers the checks and signal receivers)
        from .selectors import saved_addresses_for_checkout

        saved_address_source_register(saved_addresses_for_checkout)

        # Lockout managers need Axes' permissions, created with Axes' own post_migrate.
        post_migrate.connect(_lockout_managers_ensure, sender=apps.get_app_config("axes"))


def _lockout_managers_ensure(sender, using="default", **kwargs):
    # apps.py loads before the app registry is ready: what needs the models is imported when migrate runs.
    from .lockouts import lockout_managers_ensure

    lockout_managers_ensure(using=using)
