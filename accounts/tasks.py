from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives


@shared_task(ignore_result=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def account_email_send(subject: str, body: str, html_body: str, recipients: list[str]) -> None:
    """Send an account email (verification, password reset) rendered in the request that asked for it."""
    message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    if html_body:
        message.attach_alternative(html_body, "text/html")
    message.send()
