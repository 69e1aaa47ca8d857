"""A caching proxy in front of the site (Wagtail's frontend cache, HTTPBackend) gets a PURGE for every
address that shows a product whose stock or price changed, after commit, and none for other products'
pages. The proxy is a real HTTP server on a free local port that records what it is sent."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.factories.catalog import product_create, seller_pages
from tests.factories.orders import europe_zone, order_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def proxy(settings):
    purged = []

    class Handler(BaseHTTPRequestHandler):
        def do_PURGE(self):  # noqa: N802 (the HTTP method's name)
            purged.append((self.headers["Host"], self.path))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.WAGTAILFRONTENDCACHE = {"proxy": {"BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
                                               "LOCATION": f"http://127.0.0.1:{server.server_port}"}}
    yield purged
    server.shutdown()
    server.server_close()


def test_a_sale_purges_its_product_pages_and_listings_not_other_products(tree, proxy, django_capture_on_commit_callbacks):
    from catalog.models import ProductPage

    europe_zone()
    sold = product_create(seller_pages(tree), title="Taznakht rug", stock=5)
    other = product_create(seller_pages(tree), title="Safi plate", stock=5)
    proxy.clear()  # publishing the pages above is Wagtail's own purge, not this one

    with django_capture_on_commit_callbacks(execute=True):
        order_for((sold, 1))

    paths = {path for _host, path in proxy}
    for page in ProductPage.objects.filter(product=sold):
        assert page.url in paths
    assert tree.categories["en"].url in paths and tree.homes["ar"].url in paths
    assert not paths & {page.url for page in ProductPage.objects.filter(product=other)}


def test_nothing_is_sent_without_a_frontend_cache(tree, settings, django_capture_on_commit_callbacks):
    from outbox.models import OutboxMessage

    settings.WAGTAILFRONTENDCACHE = None
    europe_zone()
    sold = product_create(seller_pages(tree), stock=5)
    with django_capture_on_commit_callbacks(execute=True):
        order_for((sold, 1))
    assert not OutboxMessage.objects.filter(task="catalog.tasks.products_frontend_cache_purge_task").exists()


def test_a_proxy_that_is_down_fails_no_sale(tree, settings, django_capture_on_commit_callbacks):
    settings.WAGTAILFRONTENDCACHE = {"proxy": {"BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
                                               "LOCATION": "http://127.0.0.1:9"}}  # nothing listens there
    europe_zone()
    sold = product_create(seller_pages(tree), stock=5)
    with django_capture_on_commit_callbacks(execute=True):
        order = order_for((sold, 1))
    assert order.pk and type(sold).objects.get(pk=sold.pk).stock == 4
