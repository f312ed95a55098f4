"""The 议事厅 JSON API: shapes, every refusal with its status and a Chinese detail, secrecy,
and exactly one ballot per voting unit when many arrive at the same instant."""

import datetime

from django.test import Client
from django.utils import timezone

import pytest

from deliberation.models import (
    Ballot,
    Choice,
    Participation,
    Poll,
    ProposalStage,
    Rule,
    VotingUnit,
)
from deliberation.services import enter_paper_ballot
from home.models import User
from tests.concurrency import at_the_same_instant
from tests.factories import (
    HouseholdFactory,
    ModeratorFactory,
    NewcomerFactory,
    PollFactory,
    ProposalPageFactory,
    ResidentFactory,
    sealed_civil_code_poll,
)

pytestmark = pytest.mark.django_db


def secret_person_poll() -> Poll:
    """One ballot per person, not recorded by name (the garden renewal)."""
    garden = ProposalPageFactory(
        slug="garden-renewal", title="小花园微改造方案", stage=ProposalStage.VOTING
    )
    return PollFactory(proposal=garden, title="是否同意小花园微改造方案？", secret=True)


def open_household_poll() -> Poll:
    """One ballot per flat, recorded by name (where the charging points go)."""
    bike_shed = ProposalPageFactory(slug="bike-shed-charging", title="非机动车棚加装充电桩")
    return PollFactory(
        proposal=bike_shed,
        title="充电桩安装位置选哪里？",
        household=True,
        choices=["2号楼旁车棚", "北门车棚", "两处都装"],
    )


@pytest.fixture
def person_poll() -> Poll:
    return secret_person_poll()


@pytest.fixture
def household_poll() -> Poll:
    return open_household_poll()


@pytest.fixture
def sealed_poll() -> Poll:
    elevator = ProposalPageFactory(
        slug="elevator-maintenance-fund",
        title="使用维修资金更换1号楼电梯",
        stage=ProposalStage.PUBLICISED,
    )
    return sealed_civil_code_poll(
        proposal=elevator, title="是否同意使用专项维修资金更换1号楼电梯？"
    )


@pytest.fixture
def flatmates() -> tuple[User, User]:
    """Two verified residents of the same flat: its owner and a family member."""
    flat = HouseholdFactory()
    return (
        ResidentFactory(residency__household=flat),
        ResidentFactory(residency__household=flat, residency__relation="family"),
    )


def vote(client: Client, poll: Poll, choices, **extra):
    return client.post(
        f"/api/deliberation/polls/{poll.pk}/ballots/",
        {"choices": choices, **extra},
        content_type="application/json",
    )


def first_choice(poll: Poll) -> int:
    return poll.choices.order_by("sort_order").first().pk


def test_poll_list_has_the_documented_shape(person_poll, household_poll):
    response = Client().get("/api/deliberation/polls/")
    assert response.status_code == 200
    items = response.json()
    assert {item["title"] for item in items} >= {
        "是否同意小花园微改造方案？",
        "充电桩安装位置选哪里？",
    }
    item = next(i for i in items if i["title"] == "充电桩安装位置选哪里？")
    assert set(item) == {
        "id",
        "title",
        "proposal_url",
        "status",
        "unit",
        "kind",
        "voters",
        "rule",
        "opens_at",
        "closes_at",
        "ballots_cast",
        "choices",
        "closed_early",
        "scope",
        "electorate",
    }
    assert item["status"] == "open" and item["unit"] == "household"
    assert item["closed_early"] is None
    assert item["scope"] == []  # the whole community
    assert set(item["electorate"]) == {"units", "area", "owners"}
    assert item["proposal_url"] == "http://testserver/yishiting/bike-shed-charging/"
    assert [c["label"] for c in item["choices"]] == ["2号楼旁车棚", "北门车棚", "两处都装"]


def test_poll_list_filters_by_status(person_poll, household_poll, sealed_poll):
    open_titles = {i["title"] for i in Client().get("/api/deliberation/polls/?status=open").json()}
    closed = Client().get("/api/deliberation/polls/?status=closed").json()
    assert "是否同意使用专项维修资金更换1号楼电梯？" not in open_titles
    assert [i["title"] for i in closed] == ["是否同意使用专项维修资金更换1号楼电梯？"]


def test_poll_list_queries_do_not_grow_with_polls(
    person_poll, household_poll, sealed_poll, django_assert_max_num_queries
):
    now = timezone.now()
    for number in range(30):
        poll = Poll.objects.create(
            title=f"问卷{number}", opens_at=now, closes_at=now + datetime.timedelta(days=1)
        )
        Choice.objects.create(poll=poll, label="是")
    # The page-cache generation, the view restrictions (the one gate), polls, choices, scope
    # rows, the site (twice) and one electorate count per kind of electorate (residents,
    # flats): polls with the same voters and scope are counted once.
    with django_assert_max_num_queries(9):
        assert len(Client().get("/api/deliberation/polls/").json()) == 33


def test_a_verified_resident_votes_and_gets_a_receipt(client_for, person_poll):
    response = vote(client_for(ResidentFactory()), person_poll, [first_choice(person_poll)])
    assert response.status_code == 201
    receipt = response.json()["receipt"]
    assert len(receipt) == 14 and receipt.count("-") == 2
    lookup = Client().get(f"/api/deliberation/receipts/{receipt.lower().replace('-', '')}/")
    assert lookup.status_code == 200
    assert lookup.json()["poll"] == person_poll.pk
    assert "choices" not in lookup.json()


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        ({"choices": []}, 400),
        ({"choices": "all"}, 400),
        ({"choices": [999999]}, 400),
        ({"choices": [True]}, 400),
        ({}, 400),
    ],
)
def test_invalid_ballots_are_refused_with_a_chinese_reason(
    client_for, person_poll, payload, status
):
    response = client_for(ResidentFactory(username="resident2")).post(
        f"/api/deliberation/polls/{person_poll.pk}/ballots/",
        payload,
        content_type="application/json",
    )
    assert response.status_code == status
    assert any("\u4e00" <= char <= "\u9fff" for char in response.json()["detail"])
    assert not Participation.objects.filter(poll=person_poll, user__username="resident2").exists()


def test_two_choices_on_a_single_choice_poll_are_refused(client_for, person_poll):
    ids = list(person_poll.choices.values_list("pk", flat=True))[:2]
    response = vote(client_for(ResidentFactory()), person_poll, ids)
    assert response.status_code == 400 and "最多" in response.json()["detail"]


def test_malformed_json_is_a_400_not_a_500(client_for, person_poll):
    response = client_for(ResidentFactory()).post(
        f"/api/deliberation/polls/{person_poll.pk}/ballots/",
        "{not json",
        content_type="application/json",
    )
    assert response.status_code == 400


def test_second_ballot_from_the_same_person_is_refused(client_for, person_poll):
    client = client_for(ResidentFactory())
    assert vote(client, person_poll, [first_choice(person_poll)]).status_code == 201
    response = vote(client, person_poll, [first_choice(person_poll)])
    assert response.status_code == 409 and "您已经在本次表决中投过票" in response.json()["detail"]


def test_second_ballot_from_the_same_household_is_refused(client_for, household_poll, flatmates):
    owner, family_member = flatmates
    assert (
        vote(client_for(owner), household_poll, [first_choice(household_poll)]).status_code == 201
    )
    response = vote(client_for(family_member), household_poll, [first_choice(household_poll)])
    assert response.status_code == 409 and "您家" in response.json()["detail"]


def test_paper_and_online_ballots_of_one_household_cannot_both_count(client_for, household_poll):
    resident = ResidentFactory()
    household = resident.residencies.get().household
    enter_paper_ballot(
        household_poll,
        ModeratorFactory(),
        [first_choice(household_poll)],
        sheet="第3页",
        household=household,
    )
    response = vote(client_for(resident), household_poll, [first_choice(household_poll)])
    assert response.status_code == 409


def test_an_unverified_user_is_refused_with_403(client_for, person_poll, household_poll):
    for poll in (person_poll, household_poll):
        response = vote(client_for(NewcomerFactory()), poll, [first_choice(poll)])
        assert response.status_code == 403 and "认证" in response.json()["detail"]


def test_a_visitor_must_sign_in(person_poll):
    response = vote(Client(), person_poll, [first_choice(person_poll)])
    assert response.status_code in {401, 403}
    assert "登录" in response.json()["detail"]


def test_no_ballot_outside_the_window(client_for):
    resident = ResidentFactory()
    now = timezone.now()
    early = Poll.objects.create(
        title="下月表决",
        opens_at=now + datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=2),
    )
    late = Poll.objects.create(
        title="上月表决",
        opens_at=now - datetime.timedelta(days=2),
        closes_at=now - datetime.timedelta(days=1),
    )
    for poll in (early, late):
        Choice.objects.create(poll=poll, label="同意")
        response = vote(client_for(resident), poll, [first_choice(poll)])
        assert response.status_code == 409
    assert "开始" in vote(client_for(resident), early, [first_choice(early)]).json()["detail"]
    assert "截止" in vote(client_for(resident), late, [first_choice(late)]).json()["detail"]


def test_unknown_poll_is_a_chinese_404(client_for):
    response = vote(client_for(ResidentFactory()), Poll(pk=987654), [1])
    assert response.status_code == 404 and "没有这个表决" in response.json()["detail"]


def test_secret_poll_hides_choice_counts_until_sealed_but_shows_turnout(client_for, person_poll):
    vote(client_for(ResidentFactory()), person_poll, [first_choice(person_poll)])
    detail = Client().get(f"/api/deliberation/polls/{person_poll.pk}/").json()
    assert detail["ballots_cast"] == 1
    assert detail["tally"]["participants"]["count"] == 1
    assert "choices" not in detail["tally"]


def test_open_poll_shows_live_counts_and_my_ballot(client_for, household_poll, flatmates):
    owner, family_member = flatmates
    client = client_for(owner)
    receipt = vote(client, household_poll, [first_choice(household_poll)]).json()["receipt"]
    detail = client.get(f"/api/deliberation/polls/{household_poll.pk}/").json()
    assert detail["tally"]["choices"][0]["count"] == 1
    assert detail["my_ballot"]["receipt"] == receipt
    assert detail["my_ballot"]["choices"] == [first_choice(household_poll)]
    # The other resident of the flat sees their household's ballot too.
    other = client_for(family_member).get(f"/api/deliberation/polls/{household_poll.pk}/").json()
    assert other["my_ballot"]["household"] == detail["my_ballot"]["household"]


def test_a_secret_ballot_cannot_be_linked_to_its_voter(client_for, person_poll):
    client = client_for(ResidentFactory())
    receipt = vote(client, person_poll, [first_choice(person_poll)]).json()["receipt"]
    ballot = Ballot.objects.get(receipt=receipt)
    assert ballot.participation is None and ballot.owner_key == ""
    mine = client.get(f"/api/deliberation/polls/{person_poll.pk}/").json()["my_ballot"]
    # The voter sees their receipt again (derived with the site's key), never their choice.
    assert "choices" not in mine and mine["receipt"] == receipt
    participation = Participation.objects.get(poll=person_poll)
    assert participation.receipt_nonce and receipt not in participation.receipt_nonce
    assert not Ballot.objects.filter(receipt__contains=participation.receipt_nonce).exists()


def test_sealed_civil_code_poll_shows_its_result(sealed_poll):
    poll = sealed_poll
    detail = Client().get(f"/api/deliberation/polls/{poll.pk}/").json()
    assert detail["status"] == "closed" and detail["rule"] == Rule.CIVIL_CODE_MAJOR
    assert detail["tally"]["outcome"] == "passed"
    assert detail["tally"]["participants"]["paper"] == 2


def test_me_describes_the_signed_in_user(client_for):
    flat = HouseholdFactory(building="1号楼", unit="1单元", room="101")
    resident = ResidentFactory(username="resident1", residency__household=flat)
    assert client_for(resident).get("/api/deliberation/me/").json() == {
        "username": "resident1",
        "verified": True,
        "household": "1号楼-1单元-101",
    }
    assert client_for(NewcomerFactory()).get("/api/deliberation/me/").json()["verified"] is False
    assert Client().get("/api/deliberation/me/").status_code in {401, 403}


def test_unknown_receipt_is_a_chinese_404():
    response = Client().get("/api/deliberation/receipts/NOPE-NOPE-NOPE/")
    assert response.status_code == 404 and "回执" in response.json()["detail"]


def test_session_writes_need_the_csrf_token(person_poll):
    resident = ResidentFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(resident)
    response = vote(client, person_poll, [first_choice(person_poll)])
    assert response.status_code == 403
    assert not Participation.objects.filter(poll=person_poll, user=resident).exists()


def test_openapi_schema_documents_the_endpoints():
    response = Client().get("/api/schema/")
    assert response.status_code == 200
    text = response.content.decode()
    for path in (
        "/api/deliberation/polls/{id}/ballots/",
        "/api/deliberation/receipts/{code}/",
        "/api/deliberation/me/",
    ):
        assert path in text


# The same instant ---------------------------------------------------------------------------------


def double_submissions(poll: Poll, voters: list[User]) -> list:
    choice = first_choice(poll)
    requests = []
    for voter in voters:
        client = Client()
        client.force_login(voter)
        requests += [lambda c=client: vote(c, poll, [choice]).status_code] * 2
    return at_the_same_instant(requests)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_residents_double_submitting_at_once_count_exactly_once():
    poll = secret_person_poll()
    statuses = double_submissions(poll, ResidentFactory.create_batch(20))
    assert sorted(statuses) == [201] * 20 + [409] * 20
    assert Participation.objects.filter(poll=poll).count() == 20
    assert Ballot.objects.filter(poll=poll).count() == 20
    listed = Client().get(f"/api/deliberation/polls/{poll.pk}/").json()
    assert listed["ballots_cast"] == 20


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_household_poll_takes_exactly_one_ballot_per_household_at_once():
    poll = open_household_poll()
    assert poll.unit == VotingUnit.HOUSEHOLD
    flats = HouseholdFactory.create_batch(10)
    residents = [ResidentFactory(residency__household=flat) for flat in flats for _ in range(2)]
    statuses = double_submissions(poll, residents)  # ten flats, two residents each
    assert statuses.count(201) == 10 and statuses.count(409) == 30
    assert Participation.objects.filter(poll=poll).values("household").distinct().count() == 10
