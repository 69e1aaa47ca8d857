import pytest

from customs.services import duty_rates_refresh, sample_rules_load


@pytest.fixture
def sample_rules(db):
    """The sample destination rules and duty rates (EU, GB, US, CA), as `customs_sample_load` loads them."""
    sample_rules_load()
    duty_rates_refresh()
