"""Fixtures shared by every suite.

Tests build the data they need with ``tests.factories`` and sign in with ``client_for(user)``,
a test client signed in as that account. The database starts as the migrations leave it (the
roles, the home page, the site and the workflow); the demo community is for the demo's own test
(tests/home/test_demo.py), the browser journeys (tests/e2e) and the benchmarks.

Each test runs in a transaction that is rolled back. Tests that need real commits (concurrency,
the live server for browser tests) are marked ``django_db(transaction=True,
serialized_rollback=True)`` and create their data inside the test: Django empties the database
after them, and the site as it was after migrations is restored from the snapshot taken in
``django_db_setup``.
"""

from django.core.management import call_command
from django.db import connections
from django.test import Client

import pytest
from pytest_django.plugin import blocking_manager_key

from home.models import User


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        # The snapshot Django restores for serialized_rollback tests: the migrations' data.
        for connection in connections.all():
            connection._test_serialized_contents = connection.creation.serialize_db_to_string()


@pytest.fixture(autouse=True)
def _transactional_tests_restore_the_site(request):
    """A transactional test must ask for the snapshot (see ``pytest_runtest_teardown``)."""
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
        pytest.fail(
            "Mark transactional tests django_db(transaction=True, serialized_rollback=True)"
        )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test ends with Django emptying the database, in the test's own teardown:
    once that is done, restore the snapshot, so whatever runs next (in this process, whichever
    file it comes from) sees the site as the migrations left it."""
    yield
    marker = item.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    if nextitem is None:  # the session ends: the test databases are gone already
        return
    following = nextitem.get_closest_marker("django_db")
    if following and following.kwargs.get("serialized_rollback"):
        return  # Django restores the snapshot itself when that test starts
    with item.config.stash[blocking_manager_key].unblock():
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
def client_for(db):
    """A test client signed in as ``user``."""

    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


def pytest_collection_modifyitems(items):
    """schemathesis gives each API operation's test the same id, and pytest-xdist keeps one test
    per id (make test runs in one process per core): name each by its operation, so all run."""
    for item in items:
        if getattr(item, "operation_label", None) and not item.nodeid.endswith("]"):
            item._id = item.parent.id.child(item.name)
