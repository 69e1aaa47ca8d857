import shutil

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from customs.services import duty_rates_refresh, sample_rules_load
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


@pytest.fixture
def sample_rules(db):
    """The sample destination rules and duty rates (EU, GB, US, CA), as `customs_sample_load` loads them."""
    sample_rules_load()
    duty_rates_refresh()


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
