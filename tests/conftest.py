import shutil

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from tests.factories.catalog import site_tree


@pytest.fixture(autouse=True)
def _fresh_cache_and_language():
    """A request through the test client leaves its language active in the thread; tests start in English."""
    cache.clear()
    translation.activate("en")
    yield
    translation.deactivate()
    cache.clear()


@pytest.fixture
def tree(db):
    return site_tree()


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
