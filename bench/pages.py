"""The pages measured, seen from inside Django (run as sub-processes of ``bench.run``, with the app's settings).

``_probe`` finds the pages in the database; ``_queries`` counts each page's SQL queries after warming
and times it in-process (Django's test client, no HTTP), and with ``BENCH_PROFILE=1`` profiles it.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import time

from .harness import HOST, REPO, RESULTS_DIR, django_setup, emit


def probe_main() -> None:
    django_setup()
    from catalog.models import CategoryIndexPage, HomePage, Product, ProductPage, SellerPage
    from sellers.models import Seller

    def english(model):
        return model.objects.live().filter(locale__language_code="en").order_by("path")

    def path_of(page, fallback=None):
        if page is None:
            return fallback
        parts = page.get_url_parts()
        return parts[2] if parts else fallback

    verified = Seller.Status.VERIFIED
    category = (
        english(CategoryIndexPage).filter(slug="textiles-and-weaving").first() or english(CategoryIndexPage).first()
    )
    seller_page = english(SellerPage).filter(seller__status=verified).first()
    product_page = english(ProductPage).filter(product__seller__status=verified).first()
    pages = {
        "home": path_of(english(HomePage).first(), "/en/"),
        "category": path_of(category),
        "product": path_of(product_page),
        "seller": path_of(seller_page),
        # The first English sitemap of products (up to 5,000 URLs with their alternates): its query count
        # must not grow with the catalogue (issue 19).
        "sitemap": "/sitemaps/products-en-1.xml",
    }
    emit(
        {
            "pages": pages,
            "products": Product.objects.count(),
            "product_pages": ProductPage.objects.count(),
            "sellers": Seller.objects.filter(status=verified).count(),
            # what the "orders" pass sells: products of the measured seller, the measured product among them
            "product_ids": ([product_page.product_id] if product_page else []) + (list(
                Product.objects.filter(seller_id=seller_page.seller_id).order_by("pk").values_list("pk", flat=True)[:12]
            ) if seller_page else []),
        }
    )


def shopper_main() -> None:
    """A shopper's session, saved in the bench database like any visitor's: two products in the basket
    (through the basket's own code). Prints the cookies a shopper's browser sends with it."""
    django_setup()
    from django.conf import settings
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.sessions.backends.base import SessionBase
    from django.test import RequestFactory
    from django.utils.module_loading import import_string

    from catalog.models import Product
    from marketplace.basket.services import Basket
    from sellers.models import Seller

    store: type[SessionBase] = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    request = RequestFactory().get("/")
    request.session, request.user = store(), AnonymousUser()
    products = Product.objects.filter(made_to_order=False, min_order_quantity=1, stock__gte=2,
                                      seller__status=Seller.Status.VERIFIED).order_by("pk")[:2]
    for product in products:
        Basket(request).add(product, 1)
    request.session.save()
    emit({"cookie": f"{settings.SESSION_COOKIE_NAME}={request.session.session_key}; currency=EUR; "
                    f"basket_count={request.basket_count}"})


def _sql_shape(sql: str) -> str:
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    sql = re.sub(r"\b\d+(?:\.\d+)?\b", "?", sql)
    return re.sub(r"\(\?(?:, \?)+\)", "(?...)", sql)


def queries_main(pages_json: str) -> None:
    """Query count (and in-process render time) of each page after warming; cProfile with BENCH_PROFILE=1."""
    django_setup()
    from collections import Counter

    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    pages = json.loads(pages_json)
    client = Client(HTTP_HOST=HOST, raise_request_exception=False)

    shopper_cookies = dict(part.split("=", 1) for part in os.environ.get("BENCH_COOKIE", "").split("; ") if "=" in part)

    def get(path):
        client.cookies.clear()  # like the load generator: no cookie but a shopper's, in the shopper passes
        for name, value in shopper_cookies.items():
            client.cookies[name] = value
        return client.get(path)

    report = {}
    for name, path in pages.items():
        for _ in range(3):
            get(path)
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            response = get(path)
        # Copied now: the next request's request_started signal empties the log that captured_queries slices.
        sqls = [query["sql"] for query in captured.captured_queries]
        shapes = Counter(_sql_shape(sql) for sql in sqls)
        timings = []
        for _ in range(10):
            started = time.perf_counter()
            get(path)
            timings.append((time.perf_counter() - started) * 1000)
        report[name] = {
            "status": response.status_code,
            "queries": len(sqls),
            "repeated": [{"count": count, "sql": sql[:300]} for sql, count in shapes.most_common() if count > 1],
            "sql": [sql[:300] for sql in sqls],
            "render_ms_median": round(statistics.median(timings), 2),
        }
    if os.environ.get("BENCH_PROFILE") == "1":
        import cProfile
        import io
        import pstats

        RESULTS_DIR.mkdir(parents=True, exist_ok=True)
        for name, path in pages.items():
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(20):
                get(path)
            profiler.disable()
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out)
            out.write(f"# {name} {path}: 20 requests, in-process (Django test client)\n\n## by cumulative time\n")
            stats.sort_stats("cumulative").print_stats(40)
            out.write("\n## by own time\n")
            stats.sort_stats("tottime").print_stats(25)
            target = RESULTS_DIR / f"profile-{name}.txt"
            target.write_text(out.getvalue())
            report[name]["profile"] = str(target.relative_to(REPO))
    emit(report)
