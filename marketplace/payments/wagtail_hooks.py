"""Payments in the admin: the chamber's bank accounts, and the audit-log action of a recorded transfer."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import BankAccount


class BankAccountViewSet(SnippetViewSet):
    """The chamber's accounts for bank transfers and the currencies each takes."""

    model = BankAccount
    icon = "form"
    menu_label = _("Bank accounts")
    menu_order = 225
    add_to_admin_menu = True
    list_display = ["bank_name", "holder", "iban", "currencies", "active"]
    search_fields = ["bank_name", "holder", "iban"]


register_snippet(BankAccountViewSet)


@hooks.register("register_log_actions")
def register_payment_log_actions(actions):
    # The action names keep their "marketplace." prefix: they are stored in the audit log.
    actions.register_action("marketplace.bank_transfer_received", _("Record a bank transfer"),
                            _("Bank transfer received"))
