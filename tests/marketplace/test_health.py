import pytest

pytestmark = pytest.mark.django_db


class TestHealthz:
    def test_all_engines_answer(self, client):
        response = client.get("/healthz")
        assert response.status_code == 200
        body = response.json()
        assert body["status"] == "ok"
        assert set(body["checks"]) == {"database", "cache", "broker", "search"}
        assert all(check["status"] == "ok" for check in body["checks"].values())

    def test_a_search_engine_that_does_not_answer_gives_503_and_says_which(self, client, settings):
        settings.LISTING_SEARCH_BACKENDS = {
            "default": {
                "BACKEND": "search.backends.elasticsearch.ElasticsearchListingBackend",
                "OPTIONS": {"url": "http://127.0.0.1:9", "timeout": 0.5},
            }
        }
        response = client.get("/healthz")
        assert response.status_code == 503
        checks = response.json()["checks"]
        assert checks["search"]["status"] == "error"
        assert checks["database"]["status"] == "ok"

    def test_a_broker_that_does_not_answer_gives_503(self, client, settings):
        settings.CELERY_TASK_ALWAYS_EAGER = False
        settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response.json()["checks"]["broker"]["status"] == "error"

    def test_it_is_never_cached(self, client):
        assert "no-cache" in client.get("/healthz")["Cache-Control"]
