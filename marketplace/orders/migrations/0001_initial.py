"""The orders models, moved here from the marketplace app with their tables and data."""

import django.db.models.deletion
import marketplace.orders.models
import sellers.models
from django.conf import settings
from django.db import migrations, models


MOVED_MODELS = ['order', 'orderline', 'ordershippingpart', 'sellerorder', 'sellerorderdocument']


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
        ('catalog', '0014_label_level_names_translated'),
        ('sellers', '0009_onboarding_alternate_name_and_held_uploads'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables exist already (made by the migrations of the app the models come from): only Django's
        # picture of them moves here. 0002 then renames the tables after this app.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Order',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('reference', models.CharField(max_length=20, unique=True, verbose_name='reference')),
                        ('access_token', models.CharField(default=marketplace.orders.models.access_token_new, editable=False, max_length=64)),
                        ('email', models.EmailField(max_length=254, verbose_name='email')),
                        ('language', models.CharField(max_length=10, verbose_name='language')),
                        ('status', models.CharField(choices=[('awaiting_payment', 'awaiting payment'), ('paid', 'paid'), ('cancelled', 'cancelled'), ('refunded', 'refunded')], db_index=True, default='awaiting_payment', max_length=20, verbose_name='status')),
                        ('base_currency', models.CharField(max_length=3, verbose_name='base currency')),
                        ('currency', models.CharField(max_length=3, verbose_name='currency')),
                        ('exchange_rate', models.DecimalField(decimal_places=10, help_text="Units of the order's currency for one unit of the base currency.", max_digits=20, verbose_name='exchange rate')),
                        ('exchange_rate_as_of', models.DateField(blank=True, null=True, verbose_name='rate of')),
                        ('subtotal_base', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='products (base currency)')),
                        ('shipping_base', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='shipping (base currency)')),
                        ('total_base', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='total (base currency)')),
                        ('subtotal', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='products')),
                        ('shipping', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='shipping')),
                        ('total', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='total')),
                        ('refunded', models.DecimalField(decimal_places=2, default=0, max_digits=14, verbose_name='refunded')),
                        ('received', models.DecimalField(decimal_places=2, default=0, max_digits=14, verbose_name='received by transfer')),
                        ('payment_difference', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, verbose_name='difference at payment')),
                        ('ship_name', models.CharField(max_length=120, verbose_name='recipient')),
                        ('ship_line1', models.CharField(max_length=200, verbose_name='address')),
                        ('ship_line2', models.CharField(blank=True, max_length=200, verbose_name='address (continued)')),
                        ('ship_city', models.CharField(max_length=100, verbose_name='town or city')),
                        ('ship_region', models.CharField(blank=True, max_length=100, verbose_name='state, province or region')),
                        ('ship_postal_code', models.CharField(blank=True, max_length=16, verbose_name='postal code')),
                        ('ship_country', models.CharField(max_length=2, verbose_name='country')),
                        ('ship_phone', models.CharField(blank=True, max_length=32, verbose_name='phone')),
                        ('delivery_by', models.DateField(verbose_name='estimated delivery')),
                        ('payment_provider', models.CharField(max_length=30, verbose_name='payment method')),
                        ('placed_at', models.DateTimeField(auto_now_add=True, verbose_name='placed')),
                        ('pay_by', models.DateTimeField(help_text='Unpaid by then, the order is cancelled and its stock released.', verbose_name='to be paid by')),
                        ('paid_at', models.DateTimeField(blank=True, null=True, verbose_name='paid')),
                        ('cancelled_at', models.DateTimeField(blank=True, null=True, verbose_name='cancelled')),
                        ('cancel_reason', models.CharField(blank=True, max_length=300, verbose_name='reason for cancellation')),
                        ('payment_error', models.CharField(blank=True, max_length=300, verbose_name='last payment error')),
                        ('payment_reminded_at', models.DateTimeField(blank=True, null=True, verbose_name='reminded to pay')),
                        ('split_at', models.DateTimeField(blank=True, null=True, verbose_name='routed to sellers')),
                        ('placement_key', models.CharField(blank=True, editable=False, max_length=64, null=True, unique=True)),
                        ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='orders', to=settings.AUTH_USER_MODEL, verbose_name='account')),
                    ],
                    options={
                        'verbose_name': 'order',
                        'verbose_name_plural': 'orders',
                        'db_table': 'marketplace_order',
                        'ordering': ['-placed_at', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='OrderShippingPart',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('weight_grams', models.PositiveIntegerField(verbose_name='weight (g)')),
                        ('parcels', models.PositiveSmallIntegerField(verbose_name='parcels')),
                        ('price_base', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='shipping (base currency)')),
                        ('price', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='shipping')),
                        ('dispatch_by', models.DateField(verbose_name='dispatch by')),
                        ('order', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='shipping_parts', to='orders.order')),
                        ('seller', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='sellers.seller', verbose_name='seller')),
                    ],
                    options={
                        'verbose_name': 'shipping part',
                        'verbose_name_plural': 'shipping parts',
                        'db_table': 'marketplace_ordershippingpart',
                        'ordering': ['order', 'seller_id'],
                    },
                ),
                migrations.CreateModel(
                    name='SellerOrder',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('reference', models.CharField(max_length=24, unique=True, verbose_name='reference')),
                        ('status', models.CharField(choices=[('awaiting_acceptance', 'awaiting acceptance'), ('accepted', 'accepted'), ('declined', 'declined'), ('packed', 'packed'), ('shipped', 'shipped'), ('delivered', 'delivered'), ('cancelled', 'cancelled: order refunded')], db_index=True, default='awaiting_acceptance', max_length=20, verbose_name='status')),
                        ('subtotal', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='products')),
                        ('shipping', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='shipping')),
                        ('total', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='total')),
                        ('subtotal_base', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='products (base currency)')),
                        ('shipping_base', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='shipping (base currency)')),
                        ('total_base', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='total (base currency)')),
                        ('dispatch_by', models.DateField(verbose_name='dispatch by')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='received')),
                        ('accept_by', models.DateTimeField(verbose_name='to be accepted by')),
                        ('reminded_at', models.DateTimeField(blank=True, null=True, verbose_name='reminded')),
                        ('escalated_at', models.DateTimeField(blank=True, null=True, verbose_name='escalated to the chamber')),
                        ('accepted_at', models.DateTimeField(blank=True, null=True, verbose_name='accepted')),
                        ('declined_at', models.DateTimeField(blank=True, null=True, verbose_name='declined')),
                        ('decline_reason', models.CharField(blank=True, max_length=300, verbose_name='reason for declining')),
                        ('refunded', models.DecimalField(decimal_places=2, default=0, max_digits=14, verbose_name='refunded')),
                        ('refund_state', models.CharField(blank=True, choices=[('due', 'to be refunded'), ('sending', 'being asked of the payment provider'), ('sent', 'refunded'), ('failed', 'refund failed'), ('manual', 'to be returned by bank transfer')], max_length=10, verbose_name='refund')),
                        ('refund_reference', models.CharField(blank=True, max_length=255, verbose_name='refund reference')),
                        ('refund_error', models.CharField(blank=True, max_length=300, verbose_name='refund error')),
                        ('refund_attempts', models.PositiveSmallIntegerField(default=0, editable=False)),
                        ('packed_at', models.DateTimeField(blank=True, null=True, verbose_name='packed')),
                        ('packed_weight_grams', models.PositiveIntegerField(blank=True, null=True, verbose_name='packed weight (g)')),
                        ('parcels', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='parcels')),
                        ('shipped_at', models.DateTimeField(blank=True, null=True, verbose_name='shipped')),
                        ('carrier', models.CharField(blank=True, max_length=100, verbose_name='carrier')),
                        ('tracking_number', models.CharField(blank=True, max_length=100, verbose_name='tracking number')),
                        ('tracking_url', models.URLField(blank=True, max_length=500, verbose_name='tracking link')),
                        ('delivered_at', models.DateTimeField(blank=True, null=True, verbose_name='delivered')),
                        ('cancelled_at', models.DateTimeField(blank=True, null=True, verbose_name='cancelled')),
                        ('order', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='seller_orders', to='orders.order')),
                        ('seller', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='seller_orders', to='sellers.seller', verbose_name='seller')),
                    ],
                    options={
                        'verbose_name': 'seller order',
                        'verbose_name_plural': 'seller orders',
                        'db_table': 'marketplace_sellerorder',
                        'ordering': ['-created_at', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='OrderLine',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=255, verbose_name='product')),
                        ('quantity', models.PositiveIntegerField(verbose_name='quantity')),
                        ('unit_price_base', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='unit price (base currency)')),
                        ('unit_price', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='unit price')),
                        ('line_total', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='line total')),
                        ('hs_code', models.CharField(max_length=12, verbose_name='HS code')),
                        ('weight_grams', models.PositiveIntegerField(verbose_name='unit weight (g)')),
                        ('origin_country', models.CharField(max_length=2, verbose_name='country of origin')),
                        ('made_to_order', models.BooleanField(default=False, verbose_name='made to order')),
                        ('stock_taken', models.BooleanField(default=False, editable=False)),
                        ('order', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='lines', to='orders.order')),
                        ('product', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='catalog.product')),
                        ('seller', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='order_lines', to='sellers.seller', verbose_name='seller')),
                        ('seller_order', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='lines', to='orders.sellerorder')),
                    ],
                    options={
                        'verbose_name': 'order line',
                        'verbose_name_plural': 'order lines',
                        'db_table': 'marketplace_orderline',
                        'ordering': ['order', 'seller_id', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='SellerOrderDocument',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('commercial_invoice', 'commercial invoice'), ('packing_list', 'packing list')], max_length=30, verbose_name='kind')),
                        ('file', models.FileField(storage=sellers.models.seller_document_storage, upload_to='order-documents/%Y/%m/', verbose_name='file')),
                        ('created_at', models.DateTimeField(auto_now=True, verbose_name='made')),
                        ('seller_order', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='documents', to='orders.sellerorder')),
                    ],
                    options={
                        'verbose_name': 'export document',
                        'verbose_name_plural': 'export documents',
                        'db_table': 'marketplace_sellerorderdocument',
                        'ordering': ['seller_order', 'kind'],
                    },
                ),
                migrations.AddIndex(
                    model_name='order',
                    index=models.Index(fields=['status', 'pay_by'], name='order_unpaid_due'),
                ),
                migrations.AddConstraint(
                    model_name='ordershippingpart',
                    constraint=models.UniqueConstraint(fields=('order', 'seller'), name='order_shipping_part_one_per_seller'),
                ),
                migrations.AddIndex(
                    model_name='sellerorder',
                    index=models.Index(fields=['status', 'accept_by'], name='seller_order_acceptance_due'),
                ),
                migrations.AddConstraint(
                    model_name='sellerorder',
                    constraint=models.UniqueConstraint(fields=('order', 'seller'), name='seller_order_one_per_seller'),
                ),
                migrations.AddConstraint(
                    model_name='sellerorderdocument',
                    constraint=models.UniqueConstraint(fields=('seller_order', 'kind'), name='seller_order_document_one_per_kind'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_move('marketplace', 'orders'), content_types_move('orders', 'marketplace')),
    ]
