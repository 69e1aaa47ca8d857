from axes.models import AccessAttempt
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .lockouts import LoginAttemptPolicy, LoginAttemptViewSet

register_permission_policy(AccessAttempt, LoginAttemptPolicy(AccessAttempt))


@hooks.register("register_admin_viewset")
def register_login_attempt_viewset():
    return LoginAttemptViewSet()
