from django.db import migrations

from search.text_indexes import text_indexes_create, text_indexes_drop


def create(apps, schema_editor):
    text_indexes_create(schema_editor)


def drop(apps, schema_editor):
    text_indexes_drop(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("listing_search", "0001_listing_documents")]

    operations = [migrations.RunPython(create, drop)]
