"""Two residents writing at the same instant on SQLite never see "database is locked"."""

from django.db import connection, transaction

import pytest

from community.models import Household
from community.services import building_named
from tests.concurrency import at_the_same_instant

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="checks the SQLite settings; PostgreSQL has no such lock"
)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_sqlite_runs_in_wal_mode():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_read_then_write_transactions_all_succeed():
    writers, rounds = 8, 5

    def write(worker: int) -> None:
        for round_ in range(rounds):
            # Read, then write, in one transaction: the pattern that deadlocks into
            # "database is locked" when transactions start DEFERRED.
            with transaction.atomic():
                Household.objects.filter(building__name="9号楼").count()
                Household.objects.create(
                    building=building_named("9号楼"), unit=str(worker), room=str(round_)
                )

    outcomes = at_the_same_instant([lambda n=n: write(n) for n in range(writers)])
    assert outcomes == [None] * writers
    assert Household.objects.filter(building__name="9号楼").count() == writers * rounds
