"""Who may inspect: the inspectors' groups and their permissions, and the conflict-of-interest rule."""


from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import DEFAULT_DB_ALIAS

from sellers.models import SellerMember
from sellers.roles import CHAMBER_STAFF_GROUP, INSPECTORS_GROUP, LEAD_INSPECTORS_GROUP, role_groups_ensure
from sellers.selectors import seller_member_at, seller_member_ids_at

from ..models import (
    LabelApplication,
)


def _is_member(user, seller) -> bool:
    return SellerMember.objects.filter(seller=seller, user=user).exists()


def _in_group(user, name) -> bool:
    return user.groups.filter(name=name).exists()


# Conflict of interest. An inspector is conflicted on an application (and on the certificate it
# led to) when they belonged to the applying seller on the day it applied: a membership that began
# later does not count, so a seller cannot make inspectors "conflicted" by adding them, and one that
# ended later still counts, so removing a member does not clear it. When every inspector is
# conflicted, a lead inspector may act all the same; the history records that override.
NOT_CONFLICTED, CONFLICT_OVERRIDDEN, CONFLICTED = "none", "overridden", "conflicted"


def _active_inspector_ids() -> set[int]:
    return set(get_user_model().objects.filter(groups__name=INSPECTORS_GROUP, is_active=True).values_list("pk", flat=True))


def label_conflict(*, user, application: LabelApplication) -> str:
    """Whether ``user`` is conflicted on ``application``: ``NOT_CONFLICTED``, ``CONFLICTED``, or
    ``CONFLICT_OVERRIDDEN`` for a conflicted lead inspector when every inspector is conflicted."""
    if not seller_member_at(seller=application.seller_id, user=user, moment=application.submitted_at):
        return NOT_CONFLICTED
    if is_lead_inspector(user) and _active_inspector_ids() <= seller_member_ids_at(
        seller=application.seller_id, moment=application.submitted_at
    ):
        return CONFLICT_OVERRIDDEN
    return CONFLICTED


def _conflict_checked(user, application: LabelApplication, message) -> dict:
    """Raises PermissionDenied with ``message`` for a conflicted user; the private data to record
    with the event otherwise (the override, if any)."""
    conflict = label_conflict(user=user, application=application)
    if conflict == CONFLICTED:
        raise PermissionDenied(message)
    return {"conflict_override": True} if conflict == CONFLICT_OVERRIDDEN else {}


def label_inspectors_eligible(*, application: LabelApplication):
    """The inspectors who may be given the application: those not conflicted on it, or, when every
    inspector is, the lead inspectors."""
    inspector_ids = _active_inspector_ids()
    conflicted = seller_member_ids_at(seller=application.seller_id, moment=application.submitted_at)
    eligible = get_user_model().objects.filter(pk__in=inspector_ids)
    if inspector_ids <= conflicted:
        eligible = eligible.filter(groups__name=LEAD_INSPECTORS_GROUP)
    else:
        eligible = eligible.exclude(pk__in=conflicted)
    return eligible.distinct().order_by("first_name", "username")


def is_label_inspector(user) -> bool:
    return user.is_authenticated and _in_group(user, INSPECTORS_GROUP)


def is_lead_inspector(user) -> bool:
    return user.is_authenticated and _in_group(user, LEAD_INSPECTORS_GROUP)


def label_inspectors_group() -> Group:
    return Group.objects.get_or_create(name=INSPECTORS_GROUP)[0]


_LABEL_RECORDS = ("labels.view_labelapplication", "labels.view_labelcertificate", "labels.view_labelscheme",
                  "wagtailadmin.access_admin")


LABEL_GROUP_PERMISSIONS = {
    INSPECTORS_GROUP: _LABEL_RECORDS,
    LEAD_INSPECTORS_GROUP: (*_LABEL_RECORDS, "labels.add_labelscheme", "labels.change_labelscheme"),
    CHAMBER_STAFF_GROUP: _LABEL_RECORDS,
}


def label_groups_ensure(*, using: str = DEFAULT_DB_ALIAS) -> None:
    """The inspectors' groups and what they and chamber staff may see in the admin. Idempotent."""
    role_groups_ensure(LABEL_GROUP_PERMISSIONS, using=using)
