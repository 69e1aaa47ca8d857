"""A verified email address brings the guest orders placed with it into the account."""

from allauth.account.signals import email_confirmed
from django.dispatch import receiver

from marketplace.orders.services import orders_attach_to_user


@receiver(email_confirmed, dispatch_uid="accounts_orders_attach_on_email_confirmed")
def orders_attach_on_email_confirmed(sender, request, email_address, **kwargs):
    orders_attach_to_user(user=email_address.user, email=email_address.email)
