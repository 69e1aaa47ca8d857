"""Payouts follow seller orders through the signals orders send (orders import nothing of payouts)."""

from django.dispatch import receiver

from marketplace.orders.models import SellerOrder
from marketplace.orders.signals import seller_order_delivered, seller_order_refund_attributed

from .services import payout_record, payout_refund_apply


@receiver(seller_order_delivered, sender=SellerOrder, dispatch_uid="payouts.payout_record")
def payout_owed(sender, seller_order, now=None, **kwargs):
    payout_record(seller_order=seller_order, now=now)


@receiver(seller_order_refund_attributed, sender=SellerOrder, dispatch_uid="payouts.payout_refund_apply")
def payout_refund_follow(sender, seller_order, **kwargs):
    payout_refund_apply(seller_order=seller_order)
