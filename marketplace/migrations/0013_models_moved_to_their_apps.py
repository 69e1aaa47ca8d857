"""Commerce's models moved to their own apps (currency, shipping, basket, orders, payments, payouts)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('marketplace', '0012_bank_transfers_and_countries'),
        ('currency', '0001_initial'),
        ('shipping', '0001_initial'),
        ('basket', '0001_initial'),
        ('orders', '0001_initial'),
        ('payments', '0001_initial'),
        ('payouts', '0001_initial'),
    ]

    operations = [
        # Only Django's picture of the models leaves this app; the tables and their rows stay (see the
        # 0001 migration of each new app).
        migrations.SeparateDatabaseAndState(state_operations=[
                migrations.DeleteModel(
                    name='BankAccount',
                ),
                migrations.RemoveField(
                    model_name='banktransferreceipt',
                    name='order',
                ),
                migrations.DeleteModel(
                    name='BankTransferSettings',
                ),
                migrations.RemoveField(
                    model_name='basketline',
                    name='product',
                ),
                migrations.RemoveField(
                    model_name='basketline',
                    name='user',
                ),
                migrations.DeleteModel(
                    name='CountrySettings',
                ),
                migrations.DeleteModel(
                    name='ExchangeRate',
                ),
                migrations.RemoveField(
                    model_name='order',
                    name='user',
                ),
                migrations.RemoveField(
                    model_name='sellerorder',
                    name='order',
                ),
                migrations.RemoveField(
                    model_name='paymentevent',
                    name='order',
                ),
                migrations.RemoveField(
                    model_name='orderline',
                    name='order',
                ),
                migrations.RemoveField(
                    model_name='payment',
                    name='order',
                ),
                migrations.RemoveField(
                    model_name='ordershippingpart',
                    name='order',
                ),
                migrations.RemoveField(
                    model_name='orderline',
                    name='product',
                ),
                migrations.RemoveField(
                    model_name='orderline',
                    name='seller',
                ),
                migrations.RemoveField(
                    model_name='orderline',
                    name='seller_order',
                ),
                migrations.RemoveField(
                    model_name='ordershippingpart',
                    name='seller',
                ),
                migrations.RemoveField(
                    model_name='sellerorder',
                    name='seller',
                ),
                migrations.RemoveField(
                    model_name='sellerorderdocument',
                    name='seller_order',
                ),
                migrations.RemoveField(
                    model_name='sellerpayout',
                    name='seller_order',
                ),
                migrations.RemoveField(
                    model_name='sellerpayout',
                    name='seller',
                ),
                migrations.RemoveField(
                    model_name='sellerpayoutaccount',
                    name='seller',
                ),
                migrations.RemoveField(
                    model_name='shippingrate',
                    name='zone',
                ),
                migrations.DeleteModel(
                    name='BankTransferReceipt',
                ),
                migrations.DeleteModel(
                    name='BasketLine',
                ),
                migrations.DeleteModel(
                    name='PaymentEvent',
                ),
                migrations.DeleteModel(
                    name='Payment',
                ),
                migrations.DeleteModel(
                    name='Order',
                ),
                migrations.DeleteModel(
                    name='OrderLine',
                ),
                migrations.DeleteModel(
                    name='OrderShippingPart',
                ),
                migrations.DeleteModel(
                    name='SellerOrderDocument',
                ),
                migrations.DeleteModel(
                    name='SellerOrder',
                ),
                migrations.DeleteModel(
                    name='SellerPayout',
                ),
                migrations.DeleteModel(
                    name='SellerPayoutAccount',
                ),
                migrations.DeleteModel(
                    name='ShippingRate',
                ),
                migrations.DeleteModel(
                    name='ShippingZone',
                ),
        ], database_operations=[]),
    ]
