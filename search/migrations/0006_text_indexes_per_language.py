from django.db import migrations

from search.text_indexes import text_indexes_create


def partial_indexes(apps, schema_editor):
    text_indexes_create(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("listing_search", "0005_sample_synonyms_and_vocabulary")]

    operations = [migrations.RunPython(partial_indexes, migrations.RunPython.noop)]
