import pytest
from django.contrib.auth.models import Group

from sellers.roles import CHAMBER_STAFF_GROUP, role_group, role_groups_ensure

pytestmark = pytest.mark.django_db


def _codenames(group):
    return {f"{permission.content_type.app_label}.{permission.codename}" for permission in group.permissions.all()}


class TestRoleGroupsEnsure:
    def test_makes_the_group_with_the_permissions_listed(self):
        role_groups_ensure({"Auditors": ("sellers.view_seller", "wagtailadmin.access_admin")})
        assert _codenames(Group.objects.get(name="Auditors")) == {"sellers.view_seller", "wagtailadmin.access_admin"}

    def test_is_idempotent_and_keeps_what_the_group_had(self):
        role_groups_ensure({"Auditors": ("sellers.view_seller",)})
        role_groups_ensure({"Auditors": ("sellers.change_seller",)})
        role_groups_ensure({"Auditors": ("sellers.change_seller",)})
        assert Group.objects.filter(name="Auditors").count() == 1
        assert _codenames(Group.objects.get(name="Auditors")) == {"sellers.view_seller", "sellers.change_seller"}

    def test_a_permission_of_no_model_is_skipped(self):
        role_groups_ensure({"Auditors": ("sellers.fly_seller",)})
        assert _codenames(Group.objects.get(name="Auditors")) == set()


def test_the_chamber_staff_group_is_there_after_migrate_with_the_commerce_permissions():
    group = role_group(CHAMBER_STAFF_GROUP)
    assert {"orders.change_order", "payouts.change_sellerpayout", "listing_search.view_searchmiss",
            "axes.delete_accessattempt"} <= _codenames(group)
