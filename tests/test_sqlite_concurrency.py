"""Two residents writing at the same instant on SQLite never see "database is locked"."""

import threading

from django.db import connection, connections, transaction

import pytest

from deliberation.models import Household

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
    barrier = threading.Barrier(writers)
    errors: list[BaseException] = []

    def write(worker: int) -> None:
        try:
            barrier.wait()
            for round_ in range(rounds):
                # Read, then write, in one transaction: the pattern that deadlocks into
                # "database is locked" when transactions start DEFERRED.
                with transaction.atomic():
                    Household.objects.filter(building="9号楼").count()
                    Household.objects.create(building="9号楼", unit=str(worker), room=str(round_))
        except BaseException as exc:  # noqa: BLE001 — reported to the main thread below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Household.objects.filter(building="9号楼").count() == writers * rounds
