"""Sample HS code suggestions per craft (sources in catalog.reference_data.HS_SUGGESTIONS), and the
chamber's review workflow renamed in the words sellers see."""

from django.db import migrations

OLD_NAMES = {"workflow": "Chamber review", "task": "Chamber approval"}
NEW_NAMES = {"workflow": "Checking by the chamber", "task": "Checking by the chamber"}


def load(apps, schema_editor):
    from catalog.reference_data import hs_suggestions_load

    hs_suggestions_load(apps.get_model("catalog", "CraftHsSuggestion"), apps.get_model("sellers", "Trade"))


def rename(names_from, names_to):
    def run(apps, schema_editor):
        apps.get_model("wagtailcore", "Workflow").objects.filter(name=names_from["workflow"]).update(name=names_to["workflow"])
        apps.get_model("wagtailcore", "Task").objects.filter(name=names_from["task"]).update(name=names_to["task"])

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0010_craft_hs_suggestions"),
        ("sellers", "0002_load_regions_and_trades"),
        ("wagtailcore", "0094_alter_page_locale"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
        migrations.RunPython(rename(OLD_NAMES, NEW_NAMES), rename(NEW_NAMES, OLD_NAMES)),
    ]
