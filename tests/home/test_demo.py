"""`load_demo` builds a believable community, and running it again duplicates nothing.

The demo is loaded once for this module, inside a transaction rolled back after its last test;
each test runs in a savepoint of it, as every other test runs in a transaction.
"""

from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from wagtail.images import get_image_model
from wagtail.models import Page, Revision

import pytest

from community.models import Household, Residency, ResidencyStatus
from deliberation.models import ProposalPage
from home.models import User
from news.models import ActivityPage, NewsPage

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        call_command("load_demo", "--quiet")
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def demo(demo_loaded, db) -> dict[str, User]:
    """The demo accounts by user name."""
    return {user.username: user for user in User.objects.all()}


def counts() -> dict[str, int]:
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "users": User.objects.count(),
        "households": Household.objects.count(),
        "residencies": Residency.objects.count(),
        "images": get_image_model().objects.count(),
    }


def test_running_load_demo_twice_duplicates_nothing(demo):
    before = counts()
    call_command("load_demo", "--quiet")
    assert counts() == before


def test_demo_has_the_content_the_foundation_promises(demo):
    assert NewsPage.objects.live().count() >= 12
    assert NewsPage.objects.values("category").distinct().count() == 5
    now_activities = ActivityPage.objects.live()
    assert now_activities.count() >= 4
    assert now_activities.upcoming().count() >= 1 and now_activities.past().count() >= 1
    stages = set(ProposalPage.objects.live().values_list("stage", flat=True))
    assert len(stages) >= 4


def test_demo_has_a_full_activity_with_a_waiting_list(demo):
    choir = ActivityPage.objects.get(slug="choir-rehearsal")
    assert choir.signup_counts() == {"confirmed": 6, "waiting": 2}


def test_demo_accounts_have_their_roles(demo):
    assert demo["admin"].is_superuser
    assert demo["editor"].groups.filter(name="编辑").exists()
    assert demo["moderator"].groups.filter(name="审核").exists()
    assert demo["auditor"].groups.filter(name="审计").exists()
    residents = Group.objects.get(name="居民").user_set
    assert residents.filter(username__startswith="resident").count() == 30


def test_thirty_residents_and_a_tenant_are_verified_and_several_share_a_household(demo):
    verified = Residency.objects.filter(status=ResidencyStatus.VERIFIED)
    assert verified.values("user").distinct().count() == 31
    assert all(demo[f"resident{n}"].is_verified_resident for n in range(1, 31))
    shared = [h for h in Household.objects.all() if h.residencies.verified().count() >= 2]
    assert len(shared) >= 3


def test_newcomer_has_signed_up_but_is_not_verified(demo):
    newcomer = demo["newcomer"]
    assert not newcomer.is_verified_resident
    assert newcomer.residencies.pending().count() == 1


@pytest.mark.parametrize(
    "username",
    ["admin", "editor", "moderator", "auditor", "resident1", "resident30", "tenant1", "newcomer"],
)
def test_every_demo_account_signs_in_with_the_demo_password(demo, settings, username):
    response = Client().post(
        "/accounts/login/", {"username": username, "password": settings.DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert response.wsgi_request.user.username == username


def test_demo_password_follows_the_environment(demo, settings):
    settings.DEMO_PASSWORD = "another-demo-password"
    call_command("load_demo", "--quiet")
    assert Client().login(username="resident5", password="another-demo-password")


def test_demo_register_has_owners_family_members_and_a_tenant(demo):
    from community.models import Relation

    relations = set(Residency.objects.verified().values_list("relation", flat=True))
    assert relations == {Relation.OWNER, Relation.FAMILY, Relation.TENANT}
    tenancy = demo["tenant1"].residencies.get()
    owner = tenancy.household.residencies.get(relation=Relation.OWNER)
    assert tenancy.relation == Relation.TENANT and owner.user == demo["resident3"]


def test_demo_tenant_is_refused_from_the_owners_vote_of_their_building(demo, settings):
    from rest_framework.test import APIClient

    from deliberation.models import Poll, Voters

    funds = Poll.objects.get(proposal__slug="building-2-facade-fund")
    assert funds.voters == Voters.OWNERS and funds.is_open
    assert [row.building.name for row in funds.scope.all()] == ["2号楼"]
    client = APIClient()
    client.force_authenticate(demo["tenant1"])
    choice = funds.choices.order_by("sort_order").first()
    refused = client.post(
        f"/api/deliberation/polls/{funds.pk}/ballots/", {"choices": [choice.pk]}, format="json"
    )
    assert refused.status_code == 403
    assert refused.json()["detail"] == "本次表决仅限业主参加。"


def test_demo_elevator_is_an_ordinary_matter_decided_by_its_building(demo):
    from deliberation.models import Poll, Rule

    elevator = Poll.objects.get(proposal__slug="elevator-maintenance-fund")
    assert elevator.rule == Rule.CIVIL_CODE_ORDINARY
    assert [row.building.name for row in elevator.scope.all()] == ["1号楼"]
    assert elevator.sealed_at is not None and elevator.result["outcome"] == "passed"
    # 1号楼 has six of the eighteen flats, each with its own owner.
    assert elevator.result["eligible"]["count"] == 6
    assert elevator.result["eligible"]["owners"] == 6


def test_demo_has_a_sealed_choice_with_a_winner_and_an_early_closed_poll(demo):
    from deliberation.models import Poll, PollKind

    style = Poll.objects.get(proposal__slug="new-benches")
    assert style.kind == PollKind.CHOICE and style.sealed_at is not None
    winner = style.choices.get(pk=style.result["winner"])
    assert winner.label == "防腐木带扶手"
    parcels = Poll.objects.get(proposal__slug="east-gate-parcel-lockers")
    early = parcels.early_closes.get()
    assert parcels.sealed_at < parcels.closes_at
    assert early.requested_by == demo["moderator"] and early.confirmed_by == demo["admin"]
    assert "提前截止" in early.reason
    call_command("verify_ledger")  # raises on any chain that does not hold
