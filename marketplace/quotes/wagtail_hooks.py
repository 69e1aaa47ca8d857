"""Requests for quote in the admin: the sellers' workspace and the chamber's view, and the audit log's words."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .admin import QuoteThreadViewSet
from .models import QuoteThread
from .permissions import QuoteThreadPolicy

register_permission_policy(QuoteThread, QuoteThreadPolicy(QuoteThread))


@hooks.register("register_admin_viewset")
def register_quote_thread_viewset():
    return QuoteThreadViewSet()


@hooks.register("register_log_actions")
def register_quote_log_actions(actions):
    actions.register_action("quotes.request", _("Ask for a quote"), _("Quote requested"))
    actions.register_action("quotes.quote_send", _("Send a quote"), _("Quote sent"))
    actions.register_action("quotes.quote_accept", _("Accept a quote"), _("Quote accepted"))
    actions.register_action("quotes.quote_reject", _("Turn a quote down"), _("Quote turned down"))
    actions.register_action("quotes.quote_withdraw", _("Withdraw a quote"), _("Quote withdrawn"))
    actions.register_action("quotes.quote_expire", _("Expire a quote"), _("Quote expired"))
    actions.register_action("quotes.quote_supersede", _("Replace a quote"), _("Quote replaced by a new one"))
    actions.register_action("quotes.decline", _("Decline a request for quote"), _("Request declined by the seller"))
    actions.register_action("quotes.close", _("Close a request for quote"), _("Request closed by the buyer"))
    actions.register_action("quotes.message", _("Write on a request for quote"), _("Message written"))
    actions.register_action("quotes.flag", _("Flag a request to the chamber"), _("Request flagged: not answered"))
