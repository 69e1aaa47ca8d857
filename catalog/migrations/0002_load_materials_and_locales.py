from django.conf import settings
from django.db import migrations


def load(apps, schema_editor):
    from catalog.reference_data import locales_load, materials_load

    materials_load(apps.get_model("catalog", "Material"))
    locales_load(apps.get_model("wagtailcore", "Locale"), [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES])


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial"), ("wagtailcore", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
