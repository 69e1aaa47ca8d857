"""The payments models, moved here from the marketplace app with their tables and data."""

import django.core.validators
import django.db.models.deletion
import marketplace.payments.models
from decimal import Decimal
from django.db import migrations, models


MOVED_MODELS = ['bankaccount', 'banktransfersettings', 'banktransferreceipt', 'payment', 'paymentevent']


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
    ]

    operations = [
        # The tables exist already (made by the migrations of the app the models come from): only Django's
        # picture of them moves here. 0002 then renames the tables after this app.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='BankAccount',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('bank_name', models.CharField(max_length=120, verbose_name='bank')),
                        ('holder', models.CharField(max_length=200, verbose_name='account holder')),
                        ('iban', models.CharField(max_length=64, validators=[django.core.validators.RegexValidator('^[A-Za-z0-9 ]{10,64}$', 'Letters, digits and spaces only, as the bank prints it.')], verbose_name='IBAN or RIB')),
                        ('swift', models.CharField(blank=True, max_length=11, validators=[django.core.validators.RegexValidator('^[A-Za-z]{6}[A-Za-z0-9]{2}([A-Za-z0-9]{3})?$', '8 or 11 letters and digits, e.g. BCMAMAMC.')], verbose_name='SWIFT / BIC')),
                        ('currencies', models.CharField(help_text='ISO 4217 codes separated by commas or spaces, e.g. MAD, EUR.', max_length=100, verbose_name='currencies taken')),
                        ('active', models.BooleanField(default=True, verbose_name='offered to buyers')),
                        ('sort_order', models.PositiveSmallIntegerField(default=0, verbose_name='order shown')),
                    ],
                    options={
                        'verbose_name': 'bank account',
                        'verbose_name_plural': 'bank accounts',
                        'db_table': 'marketplace_bankaccount',
                        'ordering': ['sort_order', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='BankTransferSettings',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('tolerance_percent', models.DecimalField(decimal_places=2, default=marketplace.payments.models._tolerance_percent_initial, max_digits=5, validators=[django.core.validators.MinValueValidator(Decimal('0')), django.core.validators.MaxValueValidator(Decimal('20'))], verbose_name='tolerance (% of the total)')),
                        ('tolerance_fixed', models.DecimalField(decimal_places=2, default=marketplace.payments.models._tolerance_fixed_initial, help_text='A transfer short by at most the larger of the two pays the order; the difference is recorded as bank fees. Short by more, the buyer is asked for the rest.', max_digits=10, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='tolerance (fixed amount, base currency)')),
                    ],
                    options={
                        'verbose_name': 'bank transfers',
                        'verbose_name_plural': 'bank transfers',
                        'db_table': 'marketplace_banktransfersettings',
                    },
                ),
                migrations.CreateModel(
                    name='BankTransferReceipt',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('amount', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='amount received')),
                        ('currency', models.CharField(max_length=3, verbose_name='currency received')),
                        ('rate', models.DecimalField(decimal_places=10, help_text="Units of the order's currency for one unit received.", max_digits=20, verbose_name='rate')),
                        ('amount_in_order_currency', models.DecimalField(decimal_places=2, max_digits=14, verbose_name="in the order's currency")),
                        ('received_on', models.DateField(verbose_name='received on')),
                        ('bank_reference', models.CharField(blank=True, max_length=100, verbose_name='bank reference')),
                        ('recorded_by', models.CharField(max_length=150, verbose_name='recorded by')),
                        ('recorded_at', models.DateTimeField(auto_now_add=True, verbose_name='recorded')),
                        ('order', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='bank_receipts', to='orders.order', verbose_name='order')),
                    ],
                    options={
                        'verbose_name': 'bank transfer received',
                        'verbose_name_plural': 'bank transfers received',
                        'db_table': 'marketplace_banktransferreceipt',
                        'ordering': ['order', 'recorded_at', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='Payment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('provider', models.CharField(max_length=30, verbose_name='provider')),
                        ('reference', models.CharField(max_length=255, verbose_name='provider reference')),
                        ('charge_reference', models.CharField(blank=True, max_length=255, verbose_name='charge reference')),
                        ('status', models.CharField(choices=[('started', 'started'), ('succeeded', 'succeeded'), ('failed', 'failed'), ('expired', 'expired'), ('refunded', 'refunded'), ('on_hold', 'on hold: to be reviewed by staff')], default='started', max_length=20, verbose_name='status')),
                        ('amount', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='amount')),
                        ('currency', models.CharField(max_length=3, verbose_name='currency')),
                        ('redirect_url', models.URLField(blank=True, max_length=2000, verbose_name='payment page')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('recorded_by', models.CharField(blank=True, help_text='The staff member who recorded an offline payment.', max_length=150, verbose_name='recorded by')),
                        ('hold_reason', models.CharField(blank=True, max_length=300, verbose_name='reason for the hold')),
                        ('order', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='payments', to='orders.order')),
                    ],
                    options={
                        'verbose_name': 'payment',
                        'verbose_name_plural': 'payments',
                        'db_table': 'marketplace_payment',
                        'ordering': ['-created_at', '-pk'],
                        'constraints': [models.UniqueConstraint(fields=('provider', 'reference'), name='payment_unique_reference')],
                    },
                ),
                migrations.CreateModel(
                    name='PaymentEvent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('provider', models.CharField(max_length=30)),
                        ('event_id', models.CharField(max_length=255)),
                        ('kind', models.CharField(max_length=60)),
                        ('outcome', models.CharField(max_length=300)),
                        ('received_at', models.DateTimeField(auto_now_add=True)),
                        ('order', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='payment_events', to='orders.order')),
                    ],
                    options={
                        'verbose_name': 'payment event',
                        'verbose_name_plural': 'payment events',
                        'db_table': 'marketplace_paymentevent',
                        'ordering': ['received_at', 'pk'],
                        'constraints': [models.UniqueConstraint(fields=('provider', 'event_id'), name='payment_event_once')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_move('marketplace', 'payments'), content_types_move('payments', 'marketplace')),
    ]
