"""Who may do what with sellers and their members, as Wagtail permission policies (registered for their
models in ``sellers/wagtail_hooks.py``, where the admin's views look them up).

Sellers: chamber staff hold the model permissions on ``Seller`` (``view``; ``change``, which decides on
applications and opens their supporting documents); acting in a seller's name (``ACT_FOR``: listing its
products, applying for its labels) is for its own members only, whatever else a user may do.

Members: chamber staff hold the model permissions on ``SellerMember`` (``view``, ``delete``…) and act on
every seller; a seller's managers act on their own seller only; everyone else on none.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from wagtail.permission_policies import ModelPermissionPolicy

from .models import Seller, SellerInvitation, SellerMember

# Not a model permission: membership of the seller grants it, and nothing else does (chamber staff's page
# permissions cover every seller's pages, yet they never list a product or apply for a label in its name).
ACT_FOR = "act_for"
MANAGER_ACTIONS = frozenset({"view", "add", "change", "delete"})


class SellerPermissionPolicy(ModelPermissionPolicy):
    def __init__(self):
        super().__init__(Seller)

    def user_has_permission(self, user, action):
        if action == ACT_FOR:
            return user.is_authenticated and SellerMember.objects.filter(user=user).exists()
        return super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return self._users_with(actions, Q(seller_memberships__isnull=False))

    def users_with_any_permission_for_instance(self, actions, instance):
        return self._users_with(actions, Q(seller_memberships__seller=instance))

    def _users_with(self, actions, members: Q) -> QuerySet:
        """Those the model permissions allow one of ``actions``, and the ``members`` when ACT_FOR is one."""
        model_actions = [action for action in actions if action != ACT_FOR]
        allowed = Q(pk__in=super().users_with_any_permission(model_actions).values("pk")) if model_actions else Q(pk__in=[])
        return get_user_model().objects.filter(allowed | members if ACT_FOR in actions else allowed).distinct()

    def instances_user_has_any_permission_for(self, user, actions):
        if ACT_FOR not in actions:
            return super().instances_user_has_any_permission_for(user, actions)
        if self.user_has_any_permission(user, [action for action in actions if action != ACT_FOR]):
            return Seller.objects.all()
        return Seller.objects.filter(members__user=user).distinct() if user.is_authenticated else Seller.objects.none()

    def user_has_permission_for_instance(self, user, action, instance):
        if action == ACT_FOR:
            return user.is_authenticated and SellerMember.objects.filter(user=user, seller=instance).exists()
        return super().user_has_permission_for_instance(user, action, instance)


class SellerMemberPermissionPolicy(ModelPermissionPolicy):
    def __init__(self):
        super().__init__(SellerMember)

    def _managed_seller_ids(self, user) -> QuerySet:
        return SellerMember.objects.filter(user=user, role=SellerMember.Role.MANAGER).values("seller_id")

    def user_has_permission(self, user, action):
        if not user.is_authenticated or not user.is_active:
            return False
        if super().user_has_permission(user, action):
            return True
        return action in MANAGER_ACTIONS and SellerMember.objects.filter(user=user, role=SellerMember.Role.MANAGER).exists()

    def sellers_user_has_permission_for(self, user, action) -> QuerySet[Seller]:
        if not user.is_authenticated or not user.is_active:
            return Seller.objects.none()
        if super().user_has_permission(user, action):
            return Seller.objects.all()
        if action not in MANAGER_ACTIONS:
            return Seller.objects.none()
        return Seller.objects.filter(pk__in=self._managed_seller_ids(user))

    def instances_user_has_permission_for(self, user, action):
        return SellerMember.objects.filter(seller__in=self.sellers_user_has_permission_for(user, action))

    def invitations_user_has_permission_for(self, user, action) -> QuerySet[SellerInvitation]:
        return SellerInvitation.objects.filter(seller__in=self.sellers_user_has_permission_for(user, action))

    def user_has_permission_for_seller(self, user, action, seller) -> bool:
        return self.sellers_user_has_permission_for(user, action).filter(pk=getattr(seller, "pk", seller)).exists()

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission_for_seller(user, action, instance.seller_id)


seller_permission_policy = SellerPermissionPolicy()
seller_member_permission_policy = SellerMemberPermissionPolicy()
