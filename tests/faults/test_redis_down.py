"""With the cache's Redis stopped mid-test, every public page is still served (uncached), a warning is
logged, and /healthz says "degraded"."""

import logging

import pytest
from django.urls import reverse

from config.resilient_cache import ResilientRedisCache
from tests.factories.catalog import product_create, seller_pages
from tests.factories.labels import certificate_issue, inspector_create, scheme_create
from tests.factories.sellers import SellerFactory, SellerMemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_cache(settings, spare_redis):
    settings.CACHES = {"default": {"BACKEND": "config.resilient_cache.ResilientRedisCache",
                                   "LOCATION": f"{spare_redis.url}/1", "KEY_PREFIX": "faults"}}
    settings.PAGE_CACHE_SECONDS = 300
    settings.RATE_LIMITS_ENABLED = True  # the limiter counts in this cache too, and must fail open
    return spare_redis


@pytest.fixture
def public_urls(tree):
    seller = SellerFactory(legal_name="Coopérative Tifaouine")
    pages = seller_pages(tree, seller)
    product = product_create(pages, title="Taznakht rug")
    member = SellerMemberFactory(seller=seller).user
    certificate = certificate_issue(scheme_create(), (member, seller, product), inspector_create())
    product_page = product.pages.get(locale__language_code="fr")
    return [
        tree.homes["en"].url, tree.homes["ar"].url, tree.categories["fr"].url, product_page.url,
        pages["en"].url, reverse("search") + "?q=rug", "/api/v1/search/?q=rug&language=en",
        "/api/v1/search/suggest/?q=ru&language=en", reverse("basket"),
        reverse("sector_figures"), "/en/sell/", reverse("account_login"),
        reverse("certificate_verify", args=[certificate.number]),
        reverse("certificate_verify_json", args=[certificate.number]),
    ]


def test_every_public_page_answers_while_the_cache_is_down(client, redis_cache, public_urls, caplog):
    from django.core.cache import caches

    assert isinstance(caches["default"], ResilientRedisCache)
    for url in public_urls:  # warm: pages go into Redis
        assert client.get(url).status_code == 200, url
    assert client.get("/healthz").json()["status"] == "ok"

    redis_cache.stop()
    with caplog.at_level(logging.WARNING, logger="config.resilient_cache"):
        statuses = {url: client.get(url).status_code for url in public_urls}
        health = client.get("/healthz")
    assert statuses == dict.fromkeys(public_urls, 200)
    assert health.status_code == 200 and health.json()["status"] == "degraded"
    assert health.json()["checks"]["cache"]["status"] == "error"
    assert any("not answering" in record.getMessage() for record in caplog.records)


def test_the_basket_works_while_the_cache_is_down(client, redis_cache, tree):
    product = product_create(seller_pages(tree), title="Taznakht rug", stock=3)
    redis_cache.stop()
    response = client.post(reverse("basket_add"), {"product": product.pk, "quantity": 1},
                           HTTP_ORIGIN="http://testserver")
    assert response.status_code == 302
    assert "Taznakht rug" in client.get(reverse("basket")).content.decode()


def test_pages_are_cached_again_once_redis_is_back(client, redis_cache, tree, monkeypatch):
    from config import resilient_cache

    monkeypatch.setattr(resilient_cache, "RETRY_AFTER_SECONDS", 0.0)
    url = tree.homes["en"].url
    redis_cache.stop()
    assert client.get(url).status_code == 200
    redis_cache.start()
    client.get(url)
    import redis as redis_client

    keys = redis_client.Redis(port=redis_cache.port, db=1).keys("faults:*")
    assert keys, "nothing was written to Redis after it came back"


def test_a_signed_in_buyer_and_a_basket_survive_redis_stopping(client, redis_cache, tree, settings):
    """Sessions are cached_db with Redis: read from Redis, written to both; Redis stopping falls back to the database."""
    from allauth.account.models import EmailAddress

    from tests.factories.sellers import UserFactory

    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    product = product_create(seller_pages(tree), title="Taznakht rug", stock=3)
    client.post(reverse("basket_add"), {"product": product.pk, "quantity": 1}, HTTP_ORIGIN="http://testserver")
    buyer = UserFactory(username="nadia")
    buyer.set_password("a long pass phrase 2026")
    buyer.save()
    EmailAddress.objects.create(user=buyer, email=buyer.email, verified=True, primary=True)
    assert client.post(reverse("account_login"), {"login": buyer.email, "password": "a long pass phrase 2026"}).status_code == 302

    redis_cache.stop()
    overview = client.get(reverse("account_overview"))
    assert overview.status_code == 200  # still signed in: the session came from the database
    assert "Taznakht rug" in client.get(reverse("basket")).content.decode()  # the basket merged at sign-in
