"""The currency models, moved here from the marketplace app with their tables and data."""

import django.core.validators
from decimal import Decimal
from django.db import migrations, models


MOVED_MODELS = ['exchangerate']


def content_types_move(source, target):
    """Points the content types (and so the permissions given to groups, and the audit log) of the moved
    models at their new app."""

    def move(apps, schema_editor):
        content_types = apps.get_model("contenttypes", "ContentType").objects.using(schema_editor.connection.alias)
        for model in MOVED_MODELS:
            if content_types.filter(app_label=source, model=model).exists():
                # A content type of the new app made before this ran (by a post_migrate) holds nothing yet.
                content_types.filter(app_label=target, model=model).delete()
                content_types.filter(app_label=source, model=model).update(app_label=target)

    return move


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('marketplace', '0012_bank_transfers_and_countries'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        # The tables exist already (made by the migrations of the app the models come from): only Django's
        # picture of them moves here. 0002 then renames the tables after this app.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ExchangeRate',
                    fields=[
                        ('currency', models.CharField(max_length=3, primary_key=True, serialize=False, validators=[django.core.validators.RegexValidator('^[A-Z]{3}$')], verbose_name='currency')),
                        ('per_euro', models.DecimalField(decimal_places=8, max_digits=18, validators=[django.core.validators.MinValueValidator(Decimal('1E-8'))], verbose_name='units for one euro')),
                        ('as_of', models.DateField(verbose_name='rate date')),
                        ('source', models.CharField(max_length=100, verbose_name='source')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                    ],
                    options={
                        'verbose_name': 'exchange rate',
                        'verbose_name_plural': 'exchange rates',
                        'db_table': 'marketplace_exchangerate',
                        'ordering': ['currency'],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_move('marketplace', 'currency'), content_types_move('currency', 'marketplace')),
    ]
