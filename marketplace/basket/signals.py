from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .services import SESSION_KEY, basket_merge_at_login


@receiver(user_logged_in)
def basket_merged_at_login(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    session_lines = session.pop(SESSION_KEY, None) if session is not None else None
    if session_lines:
        for note in basket_merge_at_login(session_lines=session_lines, user=user):
            messages.warning(request, note)
