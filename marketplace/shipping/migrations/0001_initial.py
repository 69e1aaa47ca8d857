"""The shipping models, moved here from the marketplace app with their tables and data."""

import django.core.validators
import django.db.models.deletion
import marketplace.shipping.models
import modelcluster.fields
from decimal import Decimal
from django.db import migrations, models


MOVED_MODELS = ['countrysettings', 'shippingzone', 'shippingrate']


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
                    name='CountrySettings',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('excluded', models.TextField(blank=True, default=marketplace.shipping.models.countries_excluded_initial, help_text='ISO 3166 codes separated by commas or spaces, e.g. EH. They are left out of every country list and no order is shipped there.', verbose_name='countries not offered')),
                    ],
                    options={
                        'verbose_name': 'countries',
                        'verbose_name_plural': 'countries',
                        'db_table': 'marketplace_countrysettings',
                    },
                ),
                migrations.CreateModel(
                    name='ShippingZone',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=100, verbose_name='name')),
                        ('countries', models.TextField(help_text='ISO 3166 codes separated by commas or spaces, e.g. FR, BE, DE.', verbose_name='countries')),
                        ('transit_days', models.PositiveSmallIntegerField(default=7, verbose_name='transit time (days)')),
                    ],
                    options={
                        'verbose_name': 'shipping zone',
                        'verbose_name_plural': 'shipping zones',
                        'db_table': 'marketplace_shippingzone',
                        'ordering': ['name'],
                    },
                ),
                migrations.CreateModel(
                    name='ShippingRate',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('sort_order', models.IntegerField(blank=True, editable=False, null=True)),
                        ('max_weight_grams', models.PositiveIntegerField(validators=[django.core.validators.MinValueValidator(1)], verbose_name='up to (g)')),
                        ('price', models.DecimalField(decimal_places=2, max_digits=10, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='price')),
                        ('zone', modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name='rates', to='shipping.shippingzone')),
                    ],
                    options={
                        'verbose_name': 'rate',
                        'verbose_name_plural': 'rates',
                        'db_table': 'marketplace_shippingrate',
                        'ordering': ['sort_order'],
                        'abstract': False,
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_move('marketplace', 'shipping'), content_types_move('shipping', 'marketplace')),
    ]
