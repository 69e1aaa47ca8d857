"""Sellers' collections opened before their documents became private: restrict each to its seller's
group and chamber staff, as ``catalog.services.seller_collection_documents_restrict`` now does."""

import re

from django.db import migrations

SELLER_GROUP = re.compile(r"^Seller \d+: ")
CHAMBER_STAFF_GROUP = "Chamber staff"
GROUPS = "groups"


def seller_collections_restrict(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    CollectionViewRestriction = apps.get_model("wagtailcore", "CollectionViewRestriction")
    chamber = None
    for group in Group.objects.filter(name__startswith="Seller "):
        if not SELLER_GROUP.match(group.name):
            continue
        collection_ids = set(
            GroupCollectionPermission.objects.filter(group=group).values_list("collection_id", flat=True)
        )
        for collection_id in collection_ids:
            restriction = CollectionViewRestriction.objects.filter(
                collection_id=collection_id, restriction_type=GROUPS
            ).first() or CollectionViewRestriction.objects.create(collection_id=collection_id, restriction_type=GROUPS)
            chamber = chamber or Group.objects.get_or_create(name=CHAMBER_STAFF_GROUP)[0]
            restriction.groups.add(group, chamber)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0007_label_inspections_and_evidence"),
        ("wagtailcore", "0098_apitoken"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(seller_collections_restrict, migrations.RunPython.noop)]
