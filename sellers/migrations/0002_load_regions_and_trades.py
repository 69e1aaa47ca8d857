from django.db import migrations


def load(apps, schema_editor):
    from sellers.reference_data import regions_load, trades_load

    regions_load(apps.get_model("sellers", "Region"))
    trades_load(apps.get_model("sellers", "Trade"))


class Migration(migrations.Migration):
    dependencies = [("sellers", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
