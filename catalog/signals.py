from django.db import transaction
from django.dispatch import receiver
from wagtail.signals import page_published

from .models import ProductPage
from .tasks import product_page_renditions_warm


@receiver(page_published, sender=ProductPage)
def product_page_published(sender, instance, **kwargs):
    transaction.on_commit(lambda: product_page_renditions_warm.delay(instance.pk))
