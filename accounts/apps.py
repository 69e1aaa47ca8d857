from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Who may sign in and how often: login throttling, two-factor authentication, request rate limits."""

    name = "accounts"
    verbose_name = _("Accounts and sign-in")
