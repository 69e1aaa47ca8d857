import pytest

from tests.celery_broker import celery_broker


@pytest.fixture
def celery_app_on_closed_port(settings):
    """Celery publishing to a port nothing listens on (never the machine's shared services)."""
    with celery_broker(settings, "redis://127.0.0.1:9/0"):
        yield
