"""Moving the register from the 议事厅 to ``community`` loses no row: a database at the old
head, with the demo community and extra flats, claims and ballots written by the old models, is
migrated forward and compared with what it held — on SQLite and PostgreSQL (``make test-pg``)."""

from datetime import timedelta
from decimal import Decimal

from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

import pytest

from community.names import building_key

# The last migrations before the move, per app (apps that did not exist get None).
OLD_HEAD = [
    ("core", None),
    ("community", None),
    ("home", "0013_page_url_path_index"),
    ("deliberation", "0007_ballot_ledger"),
    ("news", "0004_poll_block"),
]


def migrate(targets) -> object:
    """Migrate to ``targets`` and return the models as they were there."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


def empty_the_database() -> None:
    """The round trip re-ran data migrations (the roles' grants got new ids): leave an empty
    database, as a transactional test does, for the snapshot to be restored into."""
    call_command(
        "flush", verbosity=0, interactive=False, inhibit_post_migrate=True, reset_sequences=False
    )


def latest() -> list[tuple[str, str]]:
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def old_register(apps) -> dict:
    Household = apps.get_model("deliberation", "Household")
    Residency = apps.get_model("deliberation", "Residency")
    Participation = apps.get_model("deliberation", "Participation")
    return {
        "households": sorted(
            (h.pk, building_key(h.building), h.unit, h.room, h.floor_area, h.owner_ref)
            for h in Household.objects.all()
        ),
        "claims": sorted(
            (
                r.pk,
                r.user_id,
                r.household_id,
                r.status,
                "owner" if r.is_owner else "family",
                r.decided_by_id,
            )  # fmt: skip
            for r in Residency.objects.all()
        ),
        "participations": sorted(
            Participation.objects.values_list("pk", "poll_id", "household_id", "voter_key")
        ),
        "ballots": apps.get_model("deliberation", "Ballot").objects.count(),
        "ledger": apps.get_model("deliberation", "LedgerEntry").objects.count(),
        "throttles": sorted(apps.get_model("home", "Throttle").objects.values_list("scope", "key")),
    }


def new_register(apps) -> dict:
    Household = apps.get_model("community", "Household")
    Residency = apps.get_model("community", "Residency")
    Participation = apps.get_model("deliberation", "Participation")
    return {
        "households": sorted(
            (h.pk, h.building.key, h.unit, h.room, h.floor_area, h.owner_ref)
            for h in Household.objects.select_related("building")
        ),
        "claims": sorted(
            (r.pk, r.user_id, r.household_id, r.status, r.relation, r.decided_by_id)
            for r in Residency.objects.all()
        ),
        "participations": sorted(
            Participation.objects.values_list("pk", "poll_id", "household_id", "voter_key")
        ),
        "ballots": apps.get_model("deliberation", "Ballot").objects.count(),
        "ledger": apps.get_model("deliberation", "LedgerEntry").objects.count(),
        "throttles": sorted(apps.get_model("core", "Throttle").objects.values_list("scope", "key")),
    }


def add_old_rows(apps) -> None:
    """Flats written as 物业 systems write them, claims of owners and others, a household
    poll with a ballot: what a community has before the move."""
    User = apps.get_model("home", "User")
    Household = apps.get_model("deliberation", "Household")
    Residency = apps.get_model("deliberation", "Residency")
    Poll = apps.get_model("deliberation", "Poll")
    Participation = apps.get_model("deliberation", "Participation")
    Throttle = apps.get_model("home", "Throttle")
    now = timezone.now()
    flats = [
        Household.objects.create(building=building, unit="1单元", room=room, floor_area=area)
        for building, room, area in [
            ("9栋", "101", Decimal("89.50")),
            ("９号楼", "102", Decimal("1020.50")),
            ("九号楼", "103", None),
            ("东区商铺", "A1", Decimal("45.00")),
        ]
    ]
    for number, flat in enumerate(flats):
        user = User.objects.create(username=f"migrated{number}")
        Residency.objects.create(
            user=user, household=flat, status="verified", is_owner=number % 2 == 0
        )
    poll = Poll.objects.create(
        title="迁移前的表决", opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=1),
        unit="household",
    )  # fmt: skip
    Participation.objects.create(
        poll=poll, voter_key=f"household:{flats[0].pk}", household=flats[0]
    )
    Throttle.objects.create(scope="comment", key="k" * 64, started_at=now, hits=2)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_register_moves_to_community_and_back_without_losing_a_row():
    from community.models import Building
    from home.models import User

    if not User.objects.filter(username="resident1").exists():
        call_command("load_demo", "--quiet")
    head = latest()
    try:
        old_apps = migrate(OLD_HEAD)
        add_old_rows(old_apps)
        before = old_register(old_apps)
        after = new_register(migrate(head))
        # The three spellings of building 9 are one building, named as the register first
        # wrote it; every other building keeps its name.
        nine = Building.objects.get(key="9")
        nine_flats = nine.households.count()
        names = set(Building.objects.values_list("name", flat=True))
        undone = old_register(migrate(OLD_HEAD))
    finally:
        migrate(head)  # a failure above must not leave the old schema behind
    empty_the_database()

    assert len(before["households"]) >= 22 and len(before["claims"]) >= 35
    assert after == before
    assert nine.name == "9栋" and nine_flats == 3
    assert {"1号楼", "2号楼", "3号楼", "东区商铺"} <= names
    assert undone == before
