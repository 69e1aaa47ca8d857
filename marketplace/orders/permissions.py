"""Who may do what with orders and their sellers' parts: the one rule behind the admin's permission
policy, the fulfilment steps, the export documents, refunds and recorded bank transfers.

- A member of the part's seller (or an active superuser) sees it and takes its steps.
- Chamber staff who may change orders decline a part nobody accepts, confirm a delivery the seller did
  not record, follow up refunds and record bank transfers.
- Staff who may view orders see every part.
- Nobody cancels a part from the admin: the platform does, when the whole order is refunded.
"""

from wagtail.permission_policies import ModelPermissionPolicy

from sellers.models import SellerMember

from .models import SellerOrder

# The steps of a part, as services.fulfilment.TRANSITIONS names them.
SELLER_ORDER_STEPS = frozenset({"accept", "decline", "pack", "ship", "deliver", "cancel"})
# Chamber staff may act for a seller where the buyer would otherwise wait: declining a part nobody
# accepts, confirming a delivery the seller did not record.
STAFF_ACTIONS = frozenset({"decline", "deliver"})
# Taken by the platform only, when the payment provider reports the whole order refunded
# (seller_orders_cancel_refunded): no one does them from the admin.
SYSTEM_ACTIONS = frozenset({"cancel"})
# Asking a declined part's refund again, or recording one made outside the platform.
REFUND_ACTION = "refund"
VIEW_ACTION = "view"


def is_order_staff(user) -> bool:
    """Chamber staff who handle orders: refunds, recorded transfers, steps taken for a seller."""
    return bool(user and user.is_authenticated) and user.has_perm("orders.change_order")


def is_order_viewer(user) -> bool:
    """Staff who see every order and every part."""
    return bool(user and user.is_authenticated) and user.is_active and user.has_perm("orders.view_order")


def _is_seller_member(user, seller_id: int) -> bool:
    return bool(user and user.is_authenticated) and SellerMember.objects.filter(user=user, seller_id=seller_id).exists()


def seller_order_permissions(user, seller_order: SellerOrder) -> frozenset[str]:
    """Everything the user may do with this part: "view" (the part and its documents), its steps
    ("accept", "decline", "pack", "ship", "deliver") and "refund" (following up its refund)."""
    if not (user and user.is_authenticated):
        return frozenset()
    granted = set()
    if _is_seller_member(user, seller_order.seller_id) or (user.is_active and user.is_superuser):
        granted |= {VIEW_ACTION, *(SELLER_ORDER_STEPS - SYSTEM_ACTIONS)}
    if is_order_staff(user):
        granted |= {*STAFF_ACTIONS, REFUND_ACTION}
    if is_order_viewer(user):
        granted.add(VIEW_ACTION)
    return frozenset(granted)


def may_act(user, seller_order: SellerOrder, action: str) -> bool:
    """Whether the user may take this step (or "view", "refund") on the part."""
    return action in seller_order_permissions(user, seller_order)


def order_payment_recorder(user) -> bool:
    """Whether the user may record money received for an order (a bank transfer)."""
    return is_order_staff(user)


class SellerOrderPolicy(ModelPermissionPolicy):
    """Members see their sellers' parts, chamber staff see all; nobody adds, edits or deletes one
    through a generic view. For one part, the actions are ``seller_order_permissions``."""

    def user_has_permission(self, user, action):
        if action != VIEW_ACTION or not user.is_authenticated:
            return False
        return is_order_viewer(user) or SellerMember.objects.filter(user=user).exists()

    def instances_user_has_permission_for(self, user, action):
        if action != VIEW_ACTION or not user.is_authenticated:
            return SellerOrder.objects.none()
        if is_order_viewer(user):
            return SellerOrder.objects.all()
        return SellerOrder.objects.filter(seller__members__user=user)

    def user_has_permission_for_instance(self, user, action, instance):
        return action in seller_order_permissions(user, instance)
