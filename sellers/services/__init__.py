"""Registration of sellers, the chamber's decisions on them, and their members.

Each function validates, writes in one transaction and queues its emails on commit. One module per
entity; the public names are importable from here.
"""

from .decisions import RESULT, TRANSITIONS, seller_reinstate, seller_reject, seller_suspend, seller_verify
from .invitations import (
    OFFICIAL_ACCOUNT_MESSAGE,
    seller_invitation_accept,
    seller_invitation_accept_with_password,
    seller_invitation_decline,
    seller_invitation_revoke,
    seller_member_invite,
)
from .members import seller_member_remove, seller_member_role_change
from .registration import Registration, register_number_taken_error, seller_register
from .wholesale import seller_wholesale_terms_set

__all__ = [
    "OFFICIAL_ACCOUNT_MESSAGE",
    "RESULT",
    "TRANSITIONS",
    "Registration",
    "register_number_taken_error",
    "seller_invitation_accept",
    "seller_invitation_accept_with_password",
    "seller_invitation_decline",
    "seller_invitation_revoke",
    "seller_member_invite",
    "seller_member_remove",
    "seller_wholesale_terms_set",
    "seller_member_role_change",
    "seller_register",
    "seller_reinstate",
    "seller_reject",
    "seller_suspend",
    "seller_verify",
]
