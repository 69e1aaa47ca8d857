import shutil

import pytest
from django.conf import settings
from django.core.cache import cache

from tests.factories.catalog import site_tree


@pytest.fixture(autouse=True)
def _isolated_cache_and_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def tree(db):
    return site_tree()


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(settings.BASE_DIR / "test-media", ignore_errors=True)
