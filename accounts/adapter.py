"""How django-allauth sends the buyers' account emails: through the outbox, after the request's commit."""

from types import SimpleNamespace

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings

from outbox.services import outbox_enqueue


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render the email now (in the request's language, with links on the request's host) and queue it.

        Rendering needs the request, which a worker does not have; only the rendered text is queued.
        """
        request = allauth_context.request
        # The emails greet from "Souk Export" at the host the buyer used (no sites framework here).
        site = SimpleNamespace(name=settings.WAGTAIL_SITE_NAME, domain=request.get_host())
        context = {"request": request, "email": email, "current_site": site, **context}
        message = self.render_mail(template_prefix, email, context)
        html_body = next((content for content, mimetype in getattr(message, "alternatives", [])
                          if mimetype == "text/html"), "")
        body = message.body if message.content_subtype == "plain" else ""
        outbox_enqueue("accounts.tasks.account_email_send", message.subject, body, html_body or
                       (message.body if message.content_subtype == "html" else ""), list(message.to))
