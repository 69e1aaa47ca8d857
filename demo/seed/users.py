"""The demo's logins, their groups and permissions, and the demo buyer's account."""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
)

from accounts.models import Favourite, SavedAddress
from catalog.models import (
    Product,
)
from catalog.services import seller_workspace_open
from labels.services import (
    label_groups_ensure,
)
from sellers.models import Seller, SellerMember
from sellers.roles import CHAMBER_STAFF_GROUP, INSPECTORS_GROUP, LEAD_INSPECTORS_GROUP


@dataclass(frozen=True)
class DemoLogin:
    role: str
    username: str
    password: str
    note: str


DEMO_LOGINS = [
    DemoLogin("administrator", "admin", "souk-admin-2026", "everything"),
    DemoLogin("chamber staff", "staff", "souk-staff-2026", "verifies sellers, edits the whole catalogue"),
    DemoLogin("label inspector", "inspector", "souk-inspector-2026", "inspects label applications"),
    DemoLogin("lead inspector", "lead", "souk-lead-2026", "assigns applications, inspects, confirms revocations"),
    DemoLogin("seller manager", "seller", "souk-seller-2026", "manages Coopérative Tifaouine des Tisseuses"),
    DemoLogin("seller manager", "potter", "souk-potter-2026", "manages Poterie de la Colline des Potiers"),
    DemoLogin("buyer", "buyer", "souk-buyer-2026", "buys on the public site"),
    DemoLogin("trade buyer", "trade", "souk-trade-2026", "buys wholesale for Studio Noord Interieur B.V., Amsterdam"),
]
# The sellers the demo's seller logins manage, and whose parts of the demo orders they handle.
DEMO_SELLER_LOGINS = {"seller": "Coopérative Tifaouine des Tisseuses", "potter": "Poterie de la Colline des Potiers"}


def _ensure_logins(homes, sellers):
    User = get_user_model()
    users = {}
    for login in DEMO_LOGINS:
        user = User.objects.filter(username=login.username).first()
        if user is None:
            user = User.objects.create_user(
                username=login.username, email=f"{login.username}@souk-export.example", password=login.password,
                first_name=login.role.split()[0].capitalize(),
            )
        users[login.username] = user
    admin = users["admin"]
    if not admin.is_superuser:
        admin.is_superuser = admin.is_staff = True
        admin.save(update_fields=["is_superuser", "is_staff"])

    root_page = Page.get_first_root_node()
    root_collection = Collection.get_first_root_node()
    chamber = _group(CHAMBER_STAFF_GROUP, admin_access=True)
    for codename in ("add_page", "change_page", "publish_page", "lock_page", "unlock_page", "bulk_delete_page"):
        GroupPagePermission.objects.get_or_create(group=chamber, page=root_page, permission=_permission("wagtailcore", codename))
    for app, model in (("wagtailimages", "image"), ("wagtaildocs", "document")):
        for action in ("add", "change", "delete", "choose"):
            GroupCollectionPermission.objects.get_or_create(
                group=chamber, collection=root_collection, permission=_permission(app, f"{action}_{model}")
            )
    for codename in ("view_seller", "change_seller", "view_sellermember", "delete_sellermember", "view_region", "view_trade"):
        chamber.permissions.add(_permission("sellers", codename))
    users["staff"].groups.add(chamber)
    label_groups_ensure()
    inspectors, leads = Group.objects.get(name=INSPECTORS_GROUP), Group.objects.get(name=LEAD_INSPECTORS_GROUP)
    users["inspector"].groups.add(inspectors)
    users["lead"].groups.add(inspectors, leads)

    for username, legal_name in DEMO_SELLER_LOGINS.items():
        seller = Seller.objects.get(legal_name=legal_name)
        SellerMember.objects.get_or_create(seller=seller, user=users[username], defaults={"role": SellerMember.Role.MANAGER})
        seller_workspace_open(seller=seller)


def _ensure_buyer_account():
    """Every demo login's email address verified (buyers sign in by email), and the demo buyer's saved
    address and favourites. Idempotent."""
    for user in get_user_model().objects.filter(username__in=[login.username for login in DEMO_LOGINS]):
        EmailAddress.objects.get_or_create(user=user, email__iexact=user.email,
                                           defaults={"email": user.email, "verified": True, "primary": True})
    buyer = get_user_model().objects.get(username="buyer")
    if not SavedAddress.objects.filter(user=buyer).exists():
        SavedAddress.objects.create(user=buyer, name="Camille Martin", line1="12 rue des Archives", city="Paris",
                                    postal_code="75004", country="FR", phone="+33123456789", is_default=True)
    if not Favourite.objects.filter(user=buyer).exists():
        for product in Product.objects.filter(pages__live=True).distinct().order_by("pk")[:3]:
            Favourite.objects.get_or_create(user=buyer, product=product)

def _demo_manager(seller):
    member = SellerMember.objects.filter(seller=seller, role=SellerMember.Role.MANAGER).select_related("user").first()
    if member is not None:
        return member.user
    user = get_user_model().objects.create_user(username=f"manager-{seller.slug}"[:150], email=seller.email)
    user.set_unusable_password()
    user.save(update_fields=["password"])
    return SellerMember.objects.create(seller=seller, user=user, role=SellerMember.Role.MANAGER).user


def _group(name, *, admin_access):
    group, _ = Group.objects.get_or_create(name=name)
    if admin_access:
        group.permissions.add(_permission("wagtailadmin", "access_admin"))
    return group


def _permission(app_label, codename):
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)
