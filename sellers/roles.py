"""The platform's official roles, defined once: chamber staff, label inspectors, lead inspectors; and the
one function that makes their groups and gives them permissions.

They live in ``sellers`` (the bottom of the dependency order) so that the membership rules can refuse
an official account without importing the apps above. Each app above says what the roles may do with
its own records (a mapping of group to ``"app_label.codename"`` permissions, beside its admin) and
hands it to ``role_groups_ensure`` from its ``post_migrate`` handler.
"""

from collections.abc import Iterable, Mapping

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Q

CHAMBER_STAFF_GROUP = "Chamber staff"
INSPECTORS_GROUP = "Label inspectors"
LEAD_INSPECTORS_GROUP = "Lead inspectors"
OFFICIAL_GROUPS = (CHAMBER_STAFF_GROUP, INSPECTORS_GROUP, LEAD_INSPECTORS_GROUP)


def is_platform_official(user) -> bool:
    """Whether the account works for the chamber or its label inspectorate (or administers the
    platform): such an account never belongs to a seller, which would compromise its independence."""
    if user.is_superuser or user.is_staff:
        return True
    return user.groups.filter(name__in=OFFICIAL_GROUPS).exists()


def role_group(name: str, *, using: str = DEFAULT_DB_ALIAS) -> Group:
    """The group of the role called ``name``, made if it does not exist yet."""
    return Group.objects.db_manager(using).get_or_create(name=name)[0]


def role_groups_ensure(grants: Mapping[str, Iterable[str]], *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Make each group ``grants`` names and give it the permissions listed for it, as ``"app_label.codename"``
    (the spelling of ``user.has_perm``). Idempotent: run after every migrate. A group keeps the
    permissions it had; a listed permission whose app has not made its permissions yet (its own
    ``post_migrate`` may come later) is made first, and one that names no model is skipped."""
    wanted = {name: [permission.split(".", 1) for permission in permissions] for name, permissions in grants.items()}
    for app_label in {app_label for pairs in wanted.values() for app_label, _codename in pairs}:
        create_permissions(apps.get_app_config(app_label), verbosity=0, using=using)
    for name, pairs in wanted.items():
        group = role_group(name, using=using)
        if pairs:
            named = Q()
            for app_label, codename in pairs:
                named |= Q(content_type__app_label=app_label, codename=codename)
            group.permissions.add(*Permission.objects.db_manager(using).filter(named))
