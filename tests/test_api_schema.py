"""The JSON API against its own OpenAPI schema (schemathesis): generated requests — valid,
borderline and malformed, anonymous and as a verified resident — never get a 5xx, and every
answer matches what the schema promises."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from tests.factories import PollFactory, ProposalPageFactory, ResidentFactory, seal_after_close

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The WSGI handler closes the database connection after each request, which would close
    the test's transaction; Django's own test client switches that off the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def resident_token() -> str:
    """A verified resident's API token, and polls for the requests to find: an open one, one
    per household, a sealed one."""
    proposal = ProposalPageFactory()
    PollFactory(proposal=proposal)
    PollFactory(proposal=proposal, household=True)
    seal_after_close(PollFactory(proposal=proposal))
    return Token.objects.get_or_create(user=ResidentFactory())[0].key


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_request_gets_a_server_error(case, resident_token):
    for headers in ({}, {"Authorization": f"Token {resident_token}"}):
        response = case.call(headers={**(case.headers or {}), **headers})
        assert response.status_code < 500, (case.method, case.formatted_path, response.text[:300])
        case.validate_response(
            response, checks=(status_code_conformance, response_schema_conformance)
        )
