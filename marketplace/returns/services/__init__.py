"""Returns' services: the steps (``steps``), what a return refunds (``amounts``), its receipt and refund
(``refunds``)."""

from .amounts import return_refund_amounts_set
from .refunds import return_receive, return_refund_record, return_refund_retry, return_refund_send
from .steps import (
    TRANSITIONS,
    actions_open,
    return_authorise,
    return_cancel,
    return_refuse,
    return_request_create,
    return_send,
    returns_escalate,
)

__all__ = [
    "TRANSITIONS", "actions_open", "return_authorise", "return_cancel", "return_receive", "return_refund_amounts_set",
    "return_refund_record", "return_refund_retry", "return_refund_send", "return_refuse", "return_request_create",
    "return_send", "returns_escalate",
]
