"""Orders' writes, one module per stage: ``placing`` (an order from a basket), ``payment`` (paid,
reminded, released unpaid, transfers received, refunds recorded), ``fulfilment`` (split per seller,
then each part accepted, packed, shipped, delivered), ``refunds`` (parts declined and refunded) and
``buyers`` (orders and buyers' accounts). Callers import from here."""

from .buyers import orders_attach_to_user, orders_detach_user
from .fulfilment import (
    ACTION_PARTICIPLES,
    MAX_PARCEL_WEIGHT_GRAMS,
    MAX_PARCELS,
    TRANSITIONS,
    actions_open,
    order_split,
    seller_order_accept,
    seller_order_deliver,
    seller_order_pack,
    seller_order_ship,
    seller_orders_chase,
)
from .payment import (
    order_cancel_unpaid,
    order_paid,
    order_payment_failed,
    order_refund_record,
    order_transfer_received,
    orders_release_unpaid,
    orders_remind_unpaid,
)
from .placing import REFERENCE_ALPHABET, OrderRequest, order_place
from .quoted import QuotedLine, QuotedOrder, order_place_quoted
from .refunds import (
    order_refund_apply,
    seller_order_decline,
    seller_order_refund_record,
    seller_order_refund_retry,
    seller_order_refund_send,
    seller_orders_cancel_refunded,
    seller_orders_refund_attribute,
)

__all__ = [
    "ACTION_PARTICIPLES", "MAX_PARCELS", "MAX_PARCEL_WEIGHT_GRAMS", "REFERENCE_ALPHABET", "TRANSITIONS",
    "OrderRequest", "QuotedLine", "QuotedOrder", "actions_open", "order_cancel_unpaid", "order_paid", "order_payment_failed", "order_place", "order_place_quoted",
    "order_refund_apply", "order_refund_record", "order_split", "order_transfer_received", "orders_attach_to_user",
    "orders_detach_user", "orders_release_unpaid", "orders_remind_unpaid", "seller_order_accept",
    "seller_order_decline", "seller_order_deliver", "seller_order_pack", "seller_order_refund_record",
    "seller_order_refund_retry", "seller_order_refund_send", "seller_order_ship", "seller_orders_cancel_refunded",
    "seller_orders_chase", "seller_orders_refund_attribute",
]
