"""Fixtures shared by every suite.

The demo community is loaded once per test session (``django_db_setup``) and each test runs in a
transaction that is rolled back, so tests see the same believable site without paying for it
each time. A transactional test flushes the database; the ``demo`` fixture then loads it again.
"""

from django.core.management import call_command
from django.test import Client

import pytest

from home.models import User


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_demo", "--quiet")


@pytest.fixture
def demo(db) -> dict[str, User]:
    """The demo accounts by user name (the demo pages and data come with them)."""
    if not User.objects.filter(username="admin").exists():
        call_command("load_demo", "--quiet")
    return {user.username: user for user in User.objects.all()}


@pytest.fixture
def client_for(demo):
    """A test client signed in as the named demo account."""

    def make(username: str) -> Client:
        client = Client()
        client.force_login(demo[username])
        return client

    return make
