"""schemathesis generates requests from our own OpenAPI schema: no input may cause a 5xx."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error

from conftest import make_users, make_world
from openkam.config.wsgi import application

# The director's run goes through every phase, including the coverage phase's boundary values
# for every field (hundreds of requests per write endpoint). A key account manager reaches the
# same code with a narrower scope: the schema's examples and random fuzzing are enough there,
# and keep the suite's time in bounds.
schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
scoped_schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
scoped_schema.config.phases.update(phases=["examples", "fuzzing"])

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Requests go through the real WSGI handler, whose request signals close the database
    connection — the one holding the test's transaction. Django's own test client disconnects
    them the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(db) -> dict[str, str]:
    users = make_users()
    make_world(users)
    return {name: Token.objects.create(user=users[name]).key for name in ("director", "kam1")}


FUZZ_SETTINGS = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _call(case, token: str) -> None:
    case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=[not_a_server_error])


@schema.parametrize()
@FUZZ_SETTINGS
def test_no_server_errors_for_a_director(case, tokens):
    _call(case, tokens["director"])


@scoped_schema.parametrize()
@FUZZ_SETTINGS
def test_no_server_errors_for_a_key_account_manager(case, tokens):
    _call(case, tokens["kam1"])
