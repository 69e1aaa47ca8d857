import pytest

from tests.factories.sellers import UserFactory

pytestmark = pytest.mark.django_db

CLOSED_PORT_BROKER = "redis://127.0.0.1:9/0"


class TestHealthz:
    def test_all_engines_answer(self, client):
        response = client.get("/healthz")
        assert response.status_code == 200
        body = response.json()
        assert body["status"] == "ok"
        assert set(body["checks"]) == {"database", "cache", "broker", "search", "outbox"}
        assert all(check["status"] == "ok" for check in body["checks"].values())

    def test_a_search_engine_that_does_not_answer_is_degraded_and_says_which(self, client, settings):
        settings.LISTING_SEARCH_BACKENDS = {
            "default": {
                "BACKEND": "search.backends.elasticsearch.ElasticsearchListingBackend",
                "OPTIONS": {"url": "http://127.0.0.1:9", "timeout": 0.5},
            }
        }
        response = client.get("/healthz")
        assert response.status_code == 200
        body = response.json()
        assert body["status"] == "degraded"
        assert body["checks"]["search"]["status"] == "error"
        assert body["checks"]["database"]["status"] == "ok"

    def test_a_broker_that_does_not_answer_is_degraded(self, client, settings):
        settings.CELERY_TASK_ALWAYS_EAGER = False
        settings.CELERY_BROKER_URL = CLOSED_PORT_BROKER
        response = client.get("/healthz")
        assert response.status_code == 200
        assert response.json()["status"] == "degraded"
        assert response.json()["checks"]["broker"]["status"] == "error"

    def test_a_database_that_does_not_answer_is_an_error(self, client, monkeypatch):
        from config import health

        def broken():
            raise RuntimeError("connection refused")

        monkeypatch.setitem(health.CHECKS, "database", broken)
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response.json()["status"] == "error"
        assert "detail" not in response.json()["checks"]["database"]

    def test_anyone_learns_states_never_addresses_or_errors(self, client, settings):
        settings.CELERY_TASK_ALWAYS_EAGER = False
        settings.CELERY_BROKER_URL = CLOSED_PORT_BROKER
        body = client.get("/healthz").content.decode()
        assert "127.0.0.1" not in body and ":9" not in body and "detail" not in body

    def test_a_superuser_sees_the_details(self, client, settings):
        settings.CELERY_TASK_ALWAYS_EAGER = False
        settings.CELERY_BROKER_URL = CLOSED_PORT_BROKER
        client.force_login(UserFactory(is_superuser=True, is_staff=True))
        checks = client.get("/healthz").json()["checks"]
        assert "127.0.0.1:9" in checks["broker"]["detail"] or "Connection refused" in checks["broker"]["detail"]
        assert checks["database"]["detail"]

    def test_it_is_never_cached(self, client):
        assert "no-cache" in client.get("/healthz")["Cache-Control"]
