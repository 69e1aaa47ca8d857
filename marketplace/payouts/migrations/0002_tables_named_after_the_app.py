"""The tables, renamed from marketplace_<model> to this app's name (Django renames them on every database)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('marketplace', '0013_models_moved_to_their_apps'),
        ('payouts', '0001_initial'),
    ]

    operations = [
        migrations.AlterModelTable(
            name='sellerpayout',
            table=None,
        ),
        migrations.AlterModelTable(
            name='sellerpayoutaccount',
            table=None,
        ),
    ]
