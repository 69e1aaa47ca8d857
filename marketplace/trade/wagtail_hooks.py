from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .admin import TradeCompanyPolicy, TradeCompanyViewSet
from .models import TradeCompany


@hooks.register("register_log_actions")
def register_trade_log_actions(actions):
    actions.register_action("trade.apply", _("Apply for a trade account"), _("Trade account applied for"))
    actions.register_action("trade.verify", _("Verify trade company"), _("Trade company verified"))
    actions.register_action("trade.reject", _("Reject trade company"), _("Trade company rejected"))
    actions.register_action("trade.suspend", _("Suspend trade company"), _("Trade company suspended"))
    actions.register_action("trade.reinstate", _("Reinstate trade company"), _("Trade company reinstated"))
    actions.register_action("trade.vat_check", _("Check VAT number"), _("VAT number checked"))
    actions.register_action("trade.vat_recheck", _("Check VAT number again"), _("VAT number check asked for"))
    actions.register_action("trade.member_invite", _("Invite to the company"), _("User invited"))
    actions.register_action("trade.member_invite_revoke", _("Withdraw invitation"), _("Invitation withdrawn"))
    actions.register_action("trade.member_accept", _("Accept invitation"), _("User joined"))
    actions.register_action("trade.member_remove", _("Remove user"), _("User removed"))
    actions.register_action("trade.member_role", _("Change role"), _("Role changed"))


register_permission_policy(TradeCompany, TradeCompanyPolicy(TradeCompany))


@hooks.register("register_admin_viewset")
def register_trade_company_viewset():
    return TradeCompanyViewSet()
