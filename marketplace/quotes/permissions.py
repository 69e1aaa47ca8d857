"""Who sees a quote thread and speaks in it: the one rule behind the buyer's pages, the seller's workspace,
the files' downloads and every service.

- The buyer's side: the users of the company that asked (its managers and buyers). Acting (accepting,
  asking, writing) needs the company to be verified; reading its own threads does not.
- The seller's side: the members of the thread's seller, and no other seller's.
- The chamber: staff who may view quote threads read every thread and may write in it.
"""

from wagtail.permission_policies import ModelPermissionPolicy

from marketplace.trade.models import TradeCompany, TradeMember
from sellers.models import SellerMember

from .models import QuoteMessage, QuoteThread

BUYER, SELLER, CHAMBER = QuoteMessage.Side.BUYER, QuoteMessage.Side.SELLER, QuoteMessage.Side.CHAMBER


def is_quote_staff(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active) and user.has_perm("quotes.view_quotethread")


def thread_side(user, thread: QuoteThread) -> str | None:
    """The side the user takes in the thread (BUYER, SELLER or CHAMBER), or None: no access."""
    if not (user and user.is_authenticated and user.is_active):
        return None
    if TradeMember.objects.filter(user=user, company_id=thread.request.company_id).exists():
        return BUYER
    if SellerMember.objects.filter(user=user, seller_id=thread.seller_id).exists():
        return SELLER
    if is_quote_staff(user):
        return CHAMBER
    return None


def buyer_may_act(user, thread: QuoteThread) -> bool:
    """A user of the asking company, while the company is verified."""
    return thread_side(user, thread) == BUYER and thread.request.company.status == TradeCompany.Status.VERIFIED


class QuoteThreadPolicy(ModelPermissionPolicy):
    """In the admin: members see their sellers' threads, chamber staff see all; nobody adds, edits or
    deletes a thread through a generic view."""

    def user_has_permission(self, user, action):
        if action != "view" or not user.is_authenticated:
            return False
        return is_quote_staff(user) or SellerMember.objects.filter(user=user).exists()

    def instances_user_has_permission_for(self, user, action):
        if action != "view" or not user.is_authenticated:
            return QuoteThread.objects.none()
        if is_quote_staff(user):
            return QuoteThread.objects.all()
        return QuoteThread.objects.filter(seller__members__user=user)

    def user_has_permission_for_instance(self, user, action, instance):
        return action == "view" and thread_side(user, instance) in (SELLER, CHAMBER)
