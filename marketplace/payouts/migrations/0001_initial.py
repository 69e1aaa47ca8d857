"""The payouts models, moved here from the marketplace app with their tables and data."""

import django.db.models.deletion
from django.db import migrations, models


MOVED_MODELS = ['sellerpayout', 'sellerpayoutaccount']


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
        ('orders', '0001_initial'),
        ('sellers', '0009_onboarding_alternate_name_and_held_uploads'),
    ]

    operations = [
        # The tables exist already (made by the migrations of the app the models come from): only Django's
        # picture of them moves here. 0002 then renames the tables after this app.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='SellerPayout',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('currency', models.CharField(max_length=3, verbose_name='currency')),
                        ('products', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='products')),
                        ('commission_rate', models.DecimalField(decimal_places=4, max_digits=6, verbose_name='commission rate')),
                        ('commission', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='commission')),
                        ('shipping', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='shipping')),
                        ('amount', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='amount owed')),
                        ('delivered_at', models.DateTimeField(db_index=True, verbose_name='delivered')),
                        ('status', models.CharField(choices=[('owed', 'owed'), ('sending', 'being transferred'), ('transferred', 'transferred'), ('failed', 'transfer failed'), ('paid', 'paid by the chamber'), ('cancelled', 'cancelled: goods refunded')], db_index=True, default='owed', max_length=12, verbose_name='status')),
                        ('transfer_reference', models.CharField(blank=True, max_length=255, verbose_name='transfer reference')),
                        ('error', models.CharField(blank=True, max_length=300, verbose_name='last error')),
                        ('paid_at', models.DateTimeField(blank=True, null=True, verbose_name='paid')),
                        ('paid_by', models.CharField(blank=True, max_length=150, verbose_name='recorded by')),
                        ('seller', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='payouts', to='sellers.seller', verbose_name='seller')),
                        ('seller_order', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='payout', to='orders.sellerorder')),
                    ],
                    options={
                        'verbose_name': 'payout',
                        'verbose_name_plural': 'payouts',
                        'db_table': 'marketplace_sellerpayout',
                        'ordering': ['-delivered_at', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='SellerPayoutAccount',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('provider', models.CharField(max_length=30, verbose_name='payment provider')),
                        ('account_reference', models.CharField(help_text="The provider's id of the seller's account, e.g. acct_1ABC…", max_length=255, verbose_name='account')),
                        ('seller', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='payout_account', to='sellers.seller', verbose_name='seller')),
                    ],
                    options={
                        'verbose_name': 'payout account',
                        'verbose_name_plural': 'payout accounts',
                        'db_table': 'marketplace_sellerpayoutaccount',
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_move('marketplace', 'payouts'), content_types_move('payouts', 'marketplace')),
    ]
