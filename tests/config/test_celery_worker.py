"""A task through a real Celery worker and broker, when CELERY_BROKER_URL names one (CI's services stage)."""

import os
import time

import pytest
from celery.contrib.testing.worker import start_worker

from catalog.models import ProductPage
from catalog.selectors import DETAIL_IMAGE_SPECS, LISTING_IMAGE_SPECS
from catalog.tasks import product_page_renditions_warm
from config.celery import app
from tests.factories.catalog import product_create, seller_pages, site_tree

BROKER = os.environ.get("CELERY_BROKER_URL", "")

pytestmark = [
    pytest.mark.services,
    pytest.mark.skipif(not BROKER.startswith(("redis://", "amqp://")), reason="needs CELERY_BROKER_URL on a real broker"),
]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_makes_a_published_products_renditions(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    app.conf.broker_url = BROKER
    try:
        tree = site_tree()
        product = product_create(seller_pages(tree))
        page = ProductPage.objects.get(product=product, locale__language_code="en")
        image = page.first_image
        image.renditions.all().delete()

        with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=30):
            result = product_page_renditions_warm.delay(page.pk)
            # No result backend: wait for the work itself to appear in the database.
            for _attempt in range(100):
                if image.renditions.count() == len(LISTING_IMAGE_SPECS + DETAIL_IMAGE_SPECS):
                    break
                time.sleep(0.1)

        assert result.id
        assert set(image.renditions.values_list("filter_spec", flat=True)) == set(LISTING_IMAGE_SPECS + DETAIL_IMAGE_SPECS)
    finally:
        app.conf.task_always_eager = True
