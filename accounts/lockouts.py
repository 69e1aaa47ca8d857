"""Staff see who is locked out of the login and lift a lockout (deleting the attempt record, audit-logged)."""

from axes.models import AccessAttempt
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from sellers.roles import role_groups_ensure


class LoginAttemptPolicy(ModelPermissionPolicy):
    """Attempts are written by Axes only: the admin lists them and deletes them, which unlocks."""

    def user_has_permission(self, user, action):
        return action in ("view", "delete") and super().user_has_permission(user, action)


class LoginAttemptViewSet(ModelViewSet):
    model = AccessAttempt
    icon = "lock"
    menu_label = _("Login lockouts")
    menu_name = "login_lockouts"
    add_to_settings_menu = True
    name = "login_attempts"
    list_display = ["username", "ip_address", "failures_since_start", "attempt_time", "path_info"]
    list_filter = ["attempt_time"]
    search_fields = ["username", "ip_address"]
    ordering = ["-attempt_time"]
    inspect_view_enabled = True
    inspect_view_fields = ["username", "ip_address", "user_agent", "path_info", "failures_since_start", "attempt_time"]

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
            path("delete/<int:pk>/", self.delete_view, name="delete"),
            path("usage/<int:pk>/", self.usage_view, name="usage"),
        ]


LOCKOUT_MANAGER_PERMISSIONS = ("axes.view_accessattempt", "axes.delete_accessattempt")


def lockout_managers_ensure(*, using: str = DEFAULT_DB_ALIAS) -> None:
    """The groups in LOGIN_LOCKOUT_MANAGER_GROUPS see and lift lockouts. Idempotent (run after every migrate)."""
    role_groups_ensure(dict.fromkeys(settings.LOGIN_LOCKOUT_MANAGER_GROUPS, LOCKOUT_MANAGER_PERMISSIONS),
                       using=using)
