"""Fixtures shared by every suite.

Tests build the data they need with ``tests.factories`` and sign in with ``client_for(user)``,
a test client signed in as that account. While the suites move to factories, the demo community
is still loaded once per test session (``django_db_setup``) unless ``TEST_WITH_DEMO=0``, and the
``demo`` fixture (the accounts by user name) and ``client_for("resident1")`` (a user name) serve
the files not converted yet.

Each test runs in a transaction that is rolled back. Tests that need real commits (concurrency,
the live server for browser tests) are marked ``django_db(transaction=True,
serialized_rollback=True)`` and create their data inside the test: Django empties the database
after them, and the site as it was after migrations (and the demo, when loaded) is restored from
the snapshot taken in ``django_db_setup``.
"""

import os

from django.core.management import call_command
from django.db import connections
from django.test import Client

import pytest

from home.models import User

# While the suites move to factories (tests/factories), TEST_WITH_DEMO=0 runs them without the
# demo, to prove a converted file builds everything it needs.
WITH_DEMO = os.environ.get("TEST_WITH_DEMO", "1") != "0"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        if WITH_DEMO:
            call_command("load_demo", "--quiet")
        # The snapshot Django restores for serialized_rollback tests: migrations' data and the demo.
        for connection in connections.all():
            connection._test_serialized_contents = connection.creation.serialize_db_to_string()


@pytest.fixture(autouse=True)
def _restore_the_site_after_a_flush(request, django_db_blocker):
    """A transactional test ends with an empty database: restore the snapshot, so the tests
    after it see the same site as every other test."""
    yield
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    if not marker.kwargs.get("serialized_rollback"):
        pytest.fail(
            "Mark transactional tests django_db(transaction=True, serialized_rollback=True)"
        )
    with django_db_blocker.unblock():
        for connection in connections.all():
            connection.creation.deserialize_db_from_string(connection._test_serialized_contents)
        # SQLite's full-text table is not a model, so the snapshot does not hold it.
        call_command("update_index", verbosity=0)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (row ids are reused after a rollback)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def demo(db) -> dict[str, User]:
    """The demo accounts by user name (the demo pages and data come with them)."""
    return {user.username: user for user in User.objects.all()}


@pytest.fixture
def client_for(db):
    """A test client signed in as ``user``: an account, or the user name of one (a demo account
    in the files not converted to factories yet)."""

    def make(user: User | str) -> Client:
        client = Client()
        client.force_login(user if isinstance(user, User) else User.objects.get(username=user))
        return client

    return make
