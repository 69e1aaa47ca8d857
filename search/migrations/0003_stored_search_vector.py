from django.db import migrations

from search.text_indexes import text_indexes_create


def stored_vector(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in ("en", "fr", "ar"):  # the per-language expression indexes of 0002 give way to the column
            schema_editor.execute(f"DROP INDEX IF EXISTS listing_text_{name}")
    text_indexes_create(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("listing_search", "0002_text_indexes")]

    operations = [migrations.RunPython(stored_vector, migrations.RunPython.noop)]
