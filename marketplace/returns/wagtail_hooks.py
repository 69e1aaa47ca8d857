from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .admin import ReturnViewSet
from .models import ReturnRequest
from .permissions import ReturnRequestPolicy


@hooks.register("register_log_actions")
def register_return_log_actions(actions):
    actions.register_action("returns.request", _("Ask to return"), _("Return requested"))
    actions.register_action("returns.authorise", _("Authorise return"), _("Return authorised"))
    actions.register_action("returns.refuse", _("Refuse return"), _("Return refused"))
    actions.register_action("returns.send", _("Send return"), _("Return sent back"))
    actions.register_action("returns.receive", _("Receive return"), _("Return received"))
    actions.register_action("returns.stock_restore", _("Restock return"), _("Returned stock back on sale"))
    actions.register_action("returns.refund", _("Refund return"), _("Return refunded"))
    actions.register_action("returns.refund_failed", _("Refund return"), _("Return refund failed"))
    actions.register_action("returns.cancel", _("Cancel return"), _("Return cancelled"))


register_permission_policy(ReturnRequest, ReturnRequestPolicy(ReturnRequest))


@hooks.register("register_admin_viewset")
def register_return_viewset():
    return ReturnViewSet()
