"""Rate limits per client address on the search API, the basket, checkout and registration posts."""

import json
from unittest import mock

import pytest
from django.test import override_settings

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("tree", "rate_limits_on")]

LIMITS = {"search": "3/m", "basket": "3/m", "checkout": "3/m", "registration": "3/h"}


@pytest.fixture
def rate_limits_on():
    with override_settings(RATE_LIMITS_ENABLED=True, RATE_LIMITS=LIMITS):
        yield


def requests_from(client, method, url, times, address="203.0.113.7"):
    send = getattr(client, method)
    return [send(url, REMOTE_ADDR=address) for _ in range(times)]


class TestSearchApi:
    @pytest.mark.parametrize("url", ["/api/v1/search/?q=rug", "/api/v1/search/suggest/?q=rug"])
    def test_over_the_limit_the_api_answers_429_in_json_with_retry_after(self, client, url):
        *allowed, refused = requests_from(client, "get", url, 4)

        assert [response.status_code for response in allowed] == [200, 200, 200]
        assert refused.status_code == 429
        assert 0 < int(refused["Retry-After"]) <= 60
        assert "Too many requests" in json.loads(refused.content)["error"]

    def test_another_address_is_not_held_back(self, client):
        requests_from(client, "get", "/api/v1/search/?q=rug", 4)
        assert client.get("/api/v1/search/?q=rug", REMOTE_ADDR="198.51.100.9").status_code == 200


class TestPosts:
    @pytest.mark.parametrize("url", [
        "/en/basket/add/", "/en/basket/update/", "/en/checkout/", "/en/checkout/review/", "/en/sell/",
        "/en/orders/SE-NONE/not-a-token/pay/",
    ])
    def test_over_the_limit_a_post_answers_429_with_retry_after(self, client, url):
        *allowed, refused = requests_from(client, "post", url, 4)

        assert all(response.status_code not in (429, 500) for response in allowed)
        assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
        assert "Too many requests" in refused.content.decode()

    def test_reading_the_checkout_page_is_not_counted(self, client):
        requests_from(client, "get", "/en/checkout/", 5)
        assert client.post("/en/checkout/", REMOTE_ADDR="203.0.113.7").status_code != 429


class TestCacheDown:
    def test_the_limiter_fails_open_and_logs_a_warning(self, client, caplog):
        unreachable = mock.Mock(**{"add.side_effect": ConnectionError("redis is down")})
        with mock.patch("config.ratelimit.cache", unreachable):
            responses = requests_from(client, "get", "/api/v1/search/?q=rug", 5)

        assert [response.status_code for response in responses] == [200] * 5
        assert "the cache is unavailable" in caplog.text


class TestBehindAProxy:
    @override_settings(TRUSTED_PROXY_COUNT=1)
    def test_clients_behind_the_proxy_are_counted_apart_and_a_forged_header_does_not_help(self, client):
        def search(forwarded_for):
            return client.get("/api/v1/search/?q=rug", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded_for)

        statuses = [search(f"1.2.3.{n}, 203.0.113.7").status_code for n in range(4)]
        assert statuses == [200, 200, 200, 429]
        assert search("198.51.100.9").status_code == 200


class TestSettings:
    @pytest.mark.parametrize("rate", ["60/m", "5/10s", "1000/h"])
    def test_a_rate_is_read(self, rate):
        from accounts.checks import rate_limits_check

        with override_settings(RATE_LIMITS={"search": rate}):
            assert rate_limits_check(None) == []

    @pytest.mark.parametrize("rate", ["sixty", "60/x", "0/m", "60"])
    def test_a_mistyped_rate_is_reported_at_start_up(self, rate):
        from accounts.checks import rate_limits_check

        with override_settings(RATE_LIMITS={"search": rate}):
            assert [error.id for error in rate_limits_check(None)] == ["accounts.E001"]
