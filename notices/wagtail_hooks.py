from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .admin import NoticePolicy, NoticeViewSet
from .models import Notice

register_permission_policy(Notice, NoticePolicy(Notice))


@hooks.register("register_admin_viewset")
def register_notice_viewset():
    return NoticeViewSet()


@hooks.register("register_log_actions")
def register_notice_log_actions(actions):
    actions.register_action("notices.receive", _("Receive notice"), _("Notice received"))
    actions.register_action("notices.review", _("Review notice"), _("Notice taken up for review"))
    actions.register_action("notices.decide", _("Decide notice"), _("Notice decided"))
