"""Who may see and change a seller's members and invitations, as a Wagtail permission policy.

Chamber staff hold the model permissions on ``SellerMember`` (``view``, ``delete``…) and act on every
seller; a seller's managers act on their own seller only; everyone else on none.
"""

from django.db.models import QuerySet
from wagtail.permission_policies import ModelPermissionPolicy

from .models import Seller, SellerInvitation, SellerMember

MANAGER_ACTIONS = frozenset({"view", "add", "change", "delete"})


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


seller_member_permission_policy = SellerMemberPermissionPolicy()
