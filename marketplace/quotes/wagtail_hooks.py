"""Requests for quote in the admin: the sellers' workspace and the chamber's view, and the audit log's words."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.permissions import register_permission_policy

from .admin import QuoteThreadViewSet, quote_threads_waiting
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


class QuoteThreadsPanel(Component):
    """The dashboard's note of requests for quote waiting for the user's sellers (or flagged, for staff)."""

    order = 45
    template_name = "quotes/admin/threads_panel.html"

    def __init__(self, counts):
        self.counts = counts

    def get_context_data(self, parent_context=None):
        return {"counts": self.counts, "index_url": reverse("quote_threads:index")}


@hooks.register("construct_homepage_panels")
def add_quote_threads_panel(request, panels):
    counts = quote_threads_waiting(request.user)
    if counts:
        panels.append(QuoteThreadsPanel(counts))
