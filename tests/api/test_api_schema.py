"""schemathesis against /api/v1/openapi.json, in process (the project's WSGI application), on a small
seeded catalogue: every operation, with generated parameters, answers no 5xx, with the status codes and
the bodies its schema declares, and every 4xx carries a message. A normal test: it runs in make test and
.ci/run (about a minute)."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from config.wsgi import application

pytestmark = pytest.mark.django_db

# Rate limits stay on, so the limiter runs on every request, but high enough never to refuse one here.
UNLIMITED = {"search": "100000/m", "api": "100000/m"}


@schemathesis.check
def client_error_has_a_message(ctx, response, case):
    """A 4xx answers JSON with a non-empty ``error`` message; a method the operation does not take gets
    django-ninja's 405, which names the allowed methods in ``Allow``."""
    if response.status_code == 405:
        assert response.headers.get("allow") or response.headers.get("Allow"), "405 without Allow"
    elif 400 <= response.status_code < 500:
        body = response.json()
        assert isinstance(body, dict) and isinstance(body.get("error"), str) and body["error"].strip(), (
            f"{response.status_code} without an error message: {response.text[:200]}")
    return None


# Loaded from the address clients use, through the project's WSGI application (no database needed).
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def rate_limits_high(settings):
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, **UNLIMITED}


@pytest.fixture
def connection_kept_open():
    """schemathesis calls the WSGI application directly, so each request's signals would close the
    database connection, which holds the test's transaction on PostgreSQL (an in-memory SQLite database
    is never closed). Django's test client disconnects the same handler for the same reason."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@hypothesis_settings(max_examples=25, deadline=None, phases=[Phase.explicit, Phase.generate],
                     suppress_health_check=list(HealthCheck))
def test_every_operation_conforms_to_the_schema(case, catalogue, rate_limits_high, connection_kept_open):
    case.call_and_validate(checks=[not_a_server_error, response_schema_conformance, status_code_conformance,
                                   client_error_has_a_message])
