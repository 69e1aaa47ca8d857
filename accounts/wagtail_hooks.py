from axes.models import AccessAttempt
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .lockouts import LoginAttemptPolicy, LoginAttemptViewSet
from .views import two_factor_setup_view, two_factor_verify_view

register_permission_policy(AccessAttempt, LoginAttemptPolicy(AccessAttempt))


@hooks.register("register_admin_viewset")
def register_login_attempt_viewset():
    return LoginAttemptViewSet()


@hooks.register("register_admin_urls")
def register_two_factor_urls():
    return [
        path("two-factor/", two_factor_setup_view, name="accounts_two_factor_setup"),
        path("two-factor/verify/", two_factor_verify_view, name="accounts_two_factor_verify"),
    ]


@hooks.register("register_account_menu_item")
def two_factor_account_menu_item(request):
    return {
        "url": reverse("accounts_two_factor_setup"),
        "label": _("Two-factor authentication"),
        "help_text": _("Ask for a code from your phone after your password, and get backup codes."),
    }


@hooks.register("register_log_actions")
def register_two_factor_log_actions(actions):
    actions.register_action("accounts.two_factor_enable", _("Turn on two-factor authentication"),
                            _("Two-factor authentication turned on"))
    actions.register_action("accounts.two_factor_disable", _("Turn off two-factor authentication"),
                            _("Two-factor authentication turned off"))
    actions.register_action("accounts.two_factor_reset", _("Reset two-factor authentication"),
                            _("Two-factor authentication reset by an operator"))
    actions.register_action("accounts.two_factor_backup_codes", _("Renew backup codes"), _("Backup codes renewed"))
