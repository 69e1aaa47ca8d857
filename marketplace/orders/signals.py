"""What happens to seller orders that other apps act on, told by signal so that orders import none of
them: payouts connects its receivers in its AppConfig.ready(). Sent inside the transaction that made
the change, so a receiver's exception undoes it."""

from django.dispatch import Signal

# A part reached the buyer (sender SellerOrder; seller_order, now): what it earned the seller is owed.
seller_order_delivered = Signal()
# A refund was recorded against a delivered part (sender SellerOrder; seller_order): its payout follows.
seller_order_refund_attributed = Signal()
