"""Who may take which step of a return.

- The buyer (whoever holds the order's private link, or the account that placed it) asks, enters the
  return tracking and cancels before sending; the views check the link, so the services take no user.
- A member of the part's seller (or an active superuser) authorises or refuses, and confirms receipt.
- Chamber staff who may change orders decide a request its seller left unanswered past its deadline,
  confirm receipt for a seller, and follow up refunds.
- Staff who may view orders see every return.
"""

from django.utils import timezone
from wagtail.permission_policies import ModelPermissionPolicy

from marketplace.orders.permissions import is_order_staff, is_order_viewer
from sellers.models import SellerMember

from .models import ReturnRequest

SELLER_STEPS = frozenset({"authorise", "refuse", "receive"})
# Staff decide only when the seller let the answer deadline pass; they may also record receipt.
STAFF_DECISIONS = frozenset({"authorise", "refuse"})
BUYER_STEPS = frozenset({"request", "send", "cancel"})
REFUND_ACTION = "refund"
VIEW_ACTION = "view"


def is_seller_member(user, seller_id: int) -> bool:
    return bool(user and user.is_authenticated) and SellerMember.objects.filter(user=user, seller_id=seller_id).exists()


def return_permissions(user, return_request: ReturnRequest, *, now=None) -> frozenset[str]:
    """What the user may do with this return in the admin: "view", the seller's steps, "refund"."""
    if not (user and user.is_authenticated and user.is_active):
        return frozenset()
    granted = set()
    seller_id = return_request.seller_order.seller_id
    if is_seller_member(user, seller_id) or user.is_superuser:
        granted |= {VIEW_ACTION, *SELLER_STEPS}
    if is_order_staff(user):
        granted |= {VIEW_ACTION, "receive", REFUND_ACTION}
        if return_request.answer_by <= (now or timezone.now()):
            granted |= STAFF_DECISIONS
    if is_order_viewer(user):
        granted.add(VIEW_ACTION)
    return frozenset(granted)


def may_act(user, return_request: ReturnRequest, action: str, *, now=None) -> bool:
    return action in return_permissions(user, return_request, now=now)


def returns_visible_to(user):
    """The returns a user sees in the admin: their sellers' ones, or all for order staff."""
    if not (user and user.is_authenticated and user.is_active):
        return ReturnRequest.objects.none()
    if is_order_viewer(user) or user.is_superuser:
        return ReturnRequest.objects.all()
    return ReturnRequest.objects.filter(seller_order__seller__members__user=user).distinct()


class ReturnRequestPolicy(ModelPermissionPolicy):
    """Members see their sellers' returns, order staff see all; nobody adds, edits or deletes one through
    a generic view. For one return, the actions are ``return_permissions``."""

    def user_has_permission(self, user, action):
        if action != VIEW_ACTION or not (user.is_authenticated and user.is_active):
            return False
        return is_order_viewer(user) or user.is_superuser or SellerMember.objects.filter(user=user).exists()

    def instances_user_has_permission_for(self, user, action):
        if action != VIEW_ACTION:
            return ReturnRequest.objects.none()
        return returns_visible_to(user)

    def user_has_permission_for_instance(self, user, action, instance):
        return action in return_permissions(user, instance)
