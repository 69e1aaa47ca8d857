"""Settings come from the environment; production refuses to start without its secrets."""

import os
import subprocess
import sys

from django.conf import settings

REPO = settings.BASE_DIR


def run_manage(*args, env_overrides, drop=()):
    drop = {*drop, "DJANGO_ALLOW_ASYNC_UNSAFE"}  # set by the browser tests for Playwright, never in deployment
    env = {key: value for key, value in os.environ.items() if key not in drop}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )


PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "a-long-random-secret-key-for-this-test-only-0123456789abcdefghijklmnop",
    "ALLOWED_HOSTS": "souk.example",
}


class TestProductionSettings:
    def test_refuses_to_start_without_a_secret_key(self):
        result = run_manage("check", env_overrides={**PRODUCTION, "SECRET_KEY": ""})
        assert result.returncode != 0
        assert "SECRET_KEY is required" in result.stderr

    def test_refuses_to_start_without_allowed_hosts(self):
        result = run_manage("check", env_overrides={**PRODUCTION, "ALLOWED_HOSTS": ""})
        assert result.returncode != 0
        assert "ALLOWED_HOSTS is required" in result.stderr

    def test_the_deployment_checklist_is_clean(self):
        result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=PRODUCTION)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "no issues" in result.stdout


class TestEmbeddedDefaults:
    def test_without_environment_the_site_runs_on_sqlite_eager_tasks_and_the_database_search(self):
        script = (
            "from django.conf import settings as s;"
            "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.EMAIL_BACKEND,"
            " s.LISTING_SEARCH_BACKENDS['default']['BACKEND'], ','.join(s.PAYMENT_PROVIDERS))"
        )
        drop = ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "ELASTICSEARCH_URL", "STRIPE_SECRET_KEY", "EMAIL_URL")
        result = run_manage("shell", "-c", script, env_overrides={"DJANGO_SETTINGS_MODULE": "config.settings.dev"}, drop=drop)
        assert result.returncode == 0, result.stderr
        assert result.stdout.split()[-5:] == [
            "django.db.backends.sqlite3", "True", "django.core.mail.backends.console.EmailBackend",
            "search.backends.database.DatabaseListingBackend", "offline",
        ]

    def test_the_environment_switches_to_the_real_engines(self):
        script = (
            "from django.conf import settings as s;"
            "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.CELERY_BROKER_URL,"
            " s.LISTING_SEARCH_BACKENDS['default']['BACKEND'], ','.join(s.PAYMENT_PROVIDERS), s.EMAIL_HOST)"
        )
        env = {
            "DJANGO_SETTINGS_MODULE": "config.settings.dev",
            "DATABASE_URL": "postgres://souk@db.example:5432/souk",
            "CELERY_BROKER_URL": "redis://redis.example:6379/0",
            "ELASTICSEARCH_URL": "http://es.example:9200",
            "STRIPE_SECRET_KEY": "sk_test_example",
            "EMAIL_URL": "smtp://mailer.example:587",
        }
        result = run_manage("shell", "-c", script, env_overrides=env)
        assert result.returncode == 0, result.stderr
        assert result.stdout.split()[-6:] == [
            "django.db.backends.postgresql", "False", "redis://redis.example:6379/0",
            "search.backends.elasticsearch.ElasticsearchListingBackend", "stripe,offline", "mailer.example",
        ]


class TestDatabasePool:
    CODE = ("from django.conf import settings; d = settings.DATABASES['default']; "
            "print(d['CONN_MAX_AGE'], d.get('OPTIONS', {}).get('pool'))")

    def test_a_pool_on_postgresql_when_asked(self):
        result = run_manage("shell", "-c", self.CODE, env_overrides={
            "DATABASE_URL": "postgres://souk@db.example:5432/souk", "DATABASE_POOL": "true", "DATABASE_POOL_MAX_SIZE": "20"})
        assert result.stdout.strip().splitlines()[-1] == "0 {'min_size': 2, 'max_size': 20, 'timeout': 10}", result.stderr

    def test_no_pool_by_default_nor_on_sqlite(self):
        default = run_manage("shell", "-c", self.CODE, env_overrides={"DATABASE_URL": "postgres://souk@db.example:5432/souk"},
                             drop=("DATABASE_POOL",))
        sqlite = run_manage("shell", "-c", self.CODE, env_overrides={"DATABASE_URL": "sqlite:////tmp/pool-test.sqlite3",
                                                                     "DATABASE_POOL": "true"})
        assert default.stdout.strip().endswith("None") and sqlite.stdout.strip().endswith("None"), default.stderr + sqlite.stderr

    def test_the_pool_serves_queries_on_this_machines_postgresql(self):
        import pytest

        url = os.environ.get("DATABASE_URL", "")
        if not url.startswith("postgres"):
            pytest.skip("needs DATABASE_URL on PostgreSQL (CI's services stage)")
        code = ("from django.db import connection\nfor _ in range(3):\n"
                "    with connection.cursor() as cursor: cursor.execute('SELECT 1')\n    connection.close()\n"
                "print(type(connection.pool).__name__, connection.pool.get_stats()['connections_num'] >= 1)")
        result = run_manage("shell", "-c", code, env_overrides={"DATABASE_POOL": "true"})
        assert result.stdout.strip().splitlines()[-1] == "ConnectionPool True", result.stderr
