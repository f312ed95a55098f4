"""Who votes, over what: owners' polls take only owners, a poll of chosen buildings counts and
takes only their flats, the electorate is shown before voting, and a ballot is cast only after
the voter confirms it."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.test import Client

import pytest

from community.models import Relation
from deliberation.models import (
    Ballot,
    Eligibility,
    Participation,
    Poll,
    PollScope,
    Rule,
    Voters,
    Weighting,
)
from deliberation.services import BallotRefused, cast_ballot, enter_paper_ballot
from deliberation.tally import electorate_for, electorate_in_words
from tests.concurrency import at_the_same_instant
from tests.factories import (
    BuildingFactory,
    HouseholdFactory,
    ModeratorFactory,
    PollFactory,
    ProposalPageFactory,
    ResidentFactory,
)
from tests.html import PageReader

pytestmark = pytest.mark.django_db

FACADE = "/yishiting/facade-insulation/"


def facade_poll(**fields) -> Poll:
    """An owners' poll on the proposal page /yishiting/facade-insulation/."""
    proposal = ProposalPageFactory(slug="facade-insulation", title="3号楼外墙保温层维修")
    return PollFactory(proposal=proposal, title="是否同意维修外墙保温层？", **fields)


def first_choice(poll: Poll) -> int:
    return poll.choices.order_by("sort_order").first().pk


def api_vote(client: Client, poll: Poll, choices=None):
    return client.post(
        f"/api/deliberation/polls/{poll.pk}/ballots/",
        {"choices": choices or [first_choice(poll)]},
        content_type="application/json",
    )


@pytest.fixture
def one_flat():
    """A flat with its owner, a family member and a tenant, all verified."""
    flat = HouseholdFactory(building="3号楼")
    return {
        "flat": flat,
        "owner": ResidentFactory(residency__household=flat),
        "family": ResidentFactory(residency__household=flat, family=True),
        "tenant": ResidentFactory(residency__household=flat, tenant=True),
    }


@pytest.fixture
def estate():
    """Two buildings, with figures to count by hand. 1号楼: five flats of 1,210.50 m² in all —
    a flat with its own owner, two flats of owner “p1”, two unsold developer flats (2单元);
    2号楼: a third flat of “p1” and a flat with its own owner."""
    one, two = BuildingFactory(name="1号楼"), BuildingFactory(name="2号楼")
    flats = {
        "a": HouseholdFactory(building=one, floor_area=Decimal("100.00")),
        "b": HouseholdFactory(building=one, floor_area=Decimal("80.50"), owner_ref="p1"),
        "c": HouseholdFactory(building=one, floor_area=Decimal("60.00"), owner_ref="p1"),
        "d": HouseholdFactory(
            building=one, unit="2单元", floor_area=Decimal("900.00"), owner_ref="developer"
        ),
        "e": HouseholdFactory(
            building=one, unit="2单元", floor_area=Decimal("70.00"), owner_ref="developer"
        ),
        "f": HouseholdFactory(building=two, floor_area=Decimal("120.00"), owner_ref="p1"),
        "g": HouseholdFactory(building=two, floor_area=Decimal("50.00")),
    }
    return {"one": one, "two": two, **flats}


# Owners only --------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["tenant", "family"])
def test_a_tenant_or_family_member_is_refused_in_an_owners_poll(client_for, one_flat, who):
    poll = facade_poll(owners=True)
    with pytest.raises(BallotRefused) as refused:
        cast_ballot(poll, one_flat[who], [first_choice(poll)])
    assert refused.value.status == 403 and refused.value.message == "本次表决仅限业主参加。"

    client = client_for(one_flat[who])
    response = api_vote(client, poll)
    assert response.status_code == 403
    assert response.json() == {"detail": "本次表决仅限业主参加。"}

    form = client.post(f"/polls/{poll.pk}/vote/", {"choices": [first_choice(poll)]})
    assert form.status_code == 403 and "本次表决仅限业主参加" in form.content.decode()
    confirmed = client.post(
        f"/polls/{poll.pk}/vote/", {"choices": [first_choice(poll)], "confirm": "1"}
    )
    assert confirmed.status_code == 403
    # The poll box says so instead of offering a form.
    page = client.get(FACADE).content.decode()
    assert "本次表决仅限业主参加" in page and 'name="choices"' not in page
    assert not Participation.objects.filter(poll=poll).exists()

    # The owner of the same flat votes, for the flat.
    assert api_vote(client_for(one_flat["owner"]), poll).status_code == 201
    assert Participation.objects.get(poll=poll).household == one_flat["flat"]


@pytest.mark.parametrize("who", ["tenant", "family"])
def test_a_tenant_or_family_member_votes_in_a_households_poll(client_for, one_flat, who):
    poll = facade_poll(household=True)
    assert api_vote(client_for(one_flat[who]), poll).status_code == 201
    assert Participation.objects.get(poll=poll).household == one_flat["flat"]
    # The flat has voted: the owner cannot add a second ballot.
    response = api_vote(client_for(one_flat["owner"]), poll)
    assert response.status_code == 409 and "投过票" in response.json()["detail"]


def test_two_owners_of_one_flat_cast_one_ballot(client_for):
    flat = HouseholdFactory()
    first, second = ResidentFactory.create_batch(2, residency__household=flat)
    poll = PollFactory(owners=True)
    assert api_vote(client_for(first), poll).status_code == 201
    response = api_vote(client_for(second), poll)
    assert response.status_code == 409 and "投过票" in response.json()["detail"]
    assert Participation.objects.get(poll=poll).voter_key == f"household:{flat.pk}"


def test_an_owner_votes_only_for_the_flats_they_own():
    owned, rented = HouseholdFactory(), HouseholdFactory()
    owner = ResidentFactory(residency__household=owned)
    owner.residencies.create(household=rented, relation=Relation.TENANT, status="verified")
    poll = PollFactory(owners=True)
    with pytest.raises(BallotRefused, match="仅限业主"):
        cast_ballot(poll, owner, [first_choice(poll)], household=rented)
    assert cast_ballot(poll, owner, [first_choice(poll)]).poll == poll
    assert Participation.objects.get(poll=poll).household == owned


# Scope --------------------------------------------------------------------------------------


def test_a_scoped_poll_counts_only_its_buildings(estate):
    whole = PollFactory(owners=True)
    one = PollFactory(owners=True, scope=[estate["one"]])
    unit = PollFactory(household=True, scope=[(estate["one"], "2单元")])
    both = PollFactory(owners=True, scope=[(estate["one"], "2单元"), estate["two"]])

    # 1号楼: a, b, c, d, e; owners: a, p1 (b and c), developer (d and e).
    assert (electorate_for(one).count, electorate_for(one).area) == (5, Decimal("1210.50"))
    assert electorate_for(one).owners == 3
    # Everything: seven flats; owners a, p1 (b, c, f), developer (d, e), g.
    assert (electorate_for(whole).count, electorate_for(whole).area) == (7, Decimal("1380.50"))
    assert electorate_for(whole).owners == 4
    # 1号楼2单元: the two developer flats, one owner.
    assert (electorate_for(unit).count, electorate_for(unit).area) == (2, Decimal("970.00"))
    assert electorate_for(unit).owners == 1
    # 1号楼2单元 and 2号楼: d, e, f, g; owners developer, p1, g.
    assert (electorate_for(both).count, electorate_for(both).area) == (4, Decimal("1140.00"))
    assert electorate_for(both).owners == 3

    assert electorate_in_words(one) == "本次表决范围：1号楼，共5户，业主3人，专有部分面积1,210.50㎡"
    assert electorate_in_words(whole).startswith("本次表决范围：全小区，共7户，业主4人")
    assert electorate_in_words(both).startswith("本次表决范围：1号楼2单元、2号楼，共4户")


def test_a_scoped_poll_of_residents_counts_the_verified_residents_living_there(estate):
    ResidentFactory(residency__household=estate["a"])
    ResidentFactory(residency__household=estate["a"], tenant=True)
    ResidentFactory(residency__household=estate["f"])
    poll = PollFactory(scope=[estate["one"]])
    assert electorate_for(poll).count == 2
    assert electorate_in_words(poll) == "本次表决范围：1号楼，已认证居民2人"
    assert electorate_for(PollFactory()).count == 3
    assert electorate_in_words(PollFactory()) == "本次表决范围：全小区，已认证居民3人"


def test_the_api_names_the_scope_and_the_electorate(estate):
    poll = PollFactory(owners=True, scope=[estate["one"]])
    PollFactory(title="全体居民表决")
    items = {i["title"]: i for i in Client().get("/api/deliberation/polls/").json()}
    assert items[poll.title]["scope"] == ["1号楼"]
    assert items[poll.title]["electorate"] == {"units": 5, "area": 1210.5, "owners": 3}
    assert items["全体居民表决"]["scope"] == []
    assert items["全体居民表决"]["electorate"] == {"units": 0, "area": None, "owners": 0}
    detail = Client().get(f"/api/deliberation/polls/{poll.pk}/").json()
    assert detail["scope"] == ["1号楼"] and detail["electorate"]["units"] == 5


@pytest.mark.parametrize(
    ("voters", "message"),
    [
        (Voters.OWNERS, "本次表决仅限1号楼的业主参加。"),
        (Voters.HOUSEHOLDS, "本次表决仅限1号楼的住户参加。"),
        (Voters.RESIDENTS, "本次表决仅限1号楼的住户参加。"),
    ],
)
def test_a_resident_outside_the_scope_is_refused(client_for, estate, voters, message):
    poll = PollFactory(voters=voters, scope=[estate["one"]])
    outsider = ResidentFactory(residency__household=estate["g"])
    response = api_vote(client_for(outsider), poll)
    assert response.status_code == 403 and response.json() == {"detail": message}
    insider = ResidentFactory(residency__household=estate["a"])
    assert api_vote(client_for(insider), poll).status_code == 201


def test_an_owner_of_flats_inside_and_outside_votes_for_the_one_inside(estate):
    owner = ResidentFactory(residency__household=estate["f"])  # 2号楼
    owner.residencies.create(household=estate["b"], relation=Relation.OWNER, status="verified")
    poll = PollFactory(owners=True, scope=[estate["one"]])
    with pytest.raises(BallotRefused, match="不在本次表决范围") as refused:
        cast_ballot(poll, owner, [first_choice(poll)], household=estate["f"])
    assert refused.value.status == 403
    cast_ballot(poll, owner, [first_choice(poll)])
    assert Participation.objects.get(poll=poll).household == estate["b"]


def test_a_paper_ballot_must_come_from_the_scope(estate):
    moderator = ModeratorFactory()
    poll = PollFactory(owners=True, scope=[estate["one"]])
    with pytest.raises(BallotRefused, match="不在本次表决范围") as refused:
        enter_paper_ballot(
            poll, moderator, [first_choice(poll)], sheet="第1页", household=estate["g"]
        )
    assert refused.value.status == 403
    enter_paper_ballot(poll, moderator, [first_choice(poll)], sheet="第1页", household=estate["a"])

    people = PollFactory(scope=[estate["one"]])
    outsider = ResidentFactory(residency__household=estate["g"])
    with pytest.raises(BallotRefused, match="不住在本次表决范围"):
        enter_paper_ballot(people, moderator, [first_choice(people)], sheet="第2页", user=outsider)
    assert Ballot.objects.filter(poll=people).count() == 0


def test_the_electorate_is_shown_in_the_poll_box_before_voting(client_for, estate):
    poll = facade_poll(
        voters=Voters.OWNERS,
        weighting=Weighting.FLOOR_AREA,
        rule=Rule.CIVIL_CODE_ORDINARY,
        scope=[estate["one"]],
    )
    owner = ResidentFactory(residency__household=estate["a"])
    page = client_for(owner).get(FACADE).content.decode()
    box = page[page.index(f'id="poll-{poll.pk}"') :]
    line = "本次表决范围：1号楼，共5户，业主3人，专有部分面积1,210.50㎡"
    assert line in box
    assert box.index(line) < box.index('name="choices"')  # before the form
    assert line in Client().get(FACADE).content.decode()  # and for every visitor


# Editing ------------------------------------------------------------------------------------


def test_the_civil_code_presets_need_owners_by_floor_area(estate):
    poll = PollFactory.build(
        voters=Voters.HOUSEHOLDS, weighting=Weighting.FLOOR_AREA, rule=Rule.CIVIL_CODE_MAJOR
    )
    with pytest.raises(ValidationError) as refused:
        poll.clean()
    assert set(refused.value.message_dict) == {"rule"}
    poll.voters = Voters.OWNERS
    poll.clean()


def test_scope_rows_are_checked_against_the_register(estate):
    row = PollScope(poll=PollFactory(), building=estate["one"], unit="5单元")
    with pytest.raises(ValidationError, match="没有5单元"):
        row.clean()
    PollScope(poll=row.poll, building=estate["one"], unit=" 2单元 ").clean()
    poll = PollFactory(eligibility=Eligibility.SIGNED_IN, scope=[estate["one"]])
    with pytest.raises(ValidationError, match="全小区"):
        poll.clean()


# Confirming a ballot ------------------------------------------------------------------------


def test_a_ballot_from_the_form_is_cast_only_once_confirmed(client_for, one_flat):
    poll = facade_poll(owners=True)
    client = client_for(one_flat["owner"])
    agree = first_choice(poll)
    first = client.post(f"/polls/{poll.pk}/vote/", {"choices": [agree]})
    assert first.status_code == 200
    html = first.content.decode()
    assert "您选择：同意。投票后不能更改。确认投票？" in html
    assert not Participation.objects.filter(poll=poll).exists()
    page = PageReader(html)
    hidden = {(i.get("name"), i.get("value")) for i in page.find_all("input")}
    assert ("choices", str(agree)) in hidden and ("confirm", "1") in hidden
    assert any(b.text.strip() == "确认投票" for b in page.find_all("button"))
    back = [a for a in page.find_all("a") if a.text.strip() == "返回修改"]
    assert back and back[0].get("href") == f"{FACADE}#poll-{poll.pk}"

    confirmed = client.post(f"/polls/{poll.pk}/vote/", {"choices": [agree], "confirm": "1"})
    assert confirmed.status_code == 302
    assert Participation.objects.filter(poll=poll).count() == 1
    # A second confirmation page is refused: the flat has voted.
    again = client.post(f"/polls/{poll.pk}/vote/", {"choices": [agree]})
    assert again.status_code == 409 and "投过票" in again.content.decode()


def test_invalid_choices_are_refused_before_the_confirmation(client_for, one_flat):
    poll = facade_poll(owners=True)
    client = client_for(one_flat["owner"])
    response = client.post(f"/polls/{poll.pk}/vote/", {"choices": ["x"]})
    assert response.status_code == 400
    html = response.content.decode()
    assert poll.title in html and "确认投票？" not in html
    assert client.post(f"/polls/{poll.pk}/vote/", {}).status_code == 400


# The same instant ---------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_owners_of_one_flat_voting_at_the_same_instant_cast_one_ballot():
    flat = HouseholdFactory()
    owners = ResidentFactory.create_batch(2, residency__household=flat)
    poll = PollFactory(owners=True)
    clients = []
    for owner in owners:
        client = Client()
        client.force_login(owner)
        clients.append(client)
    statuses = at_the_same_instant([lambda c=c: api_vote(c, poll).status_code for c in clients])
    assert sorted(statuses) == [201, 409]
    assert Participation.objects.filter(poll=poll).count() == 1
    assert Ballot.objects.filter(poll=poll).count() == 1


def test_a_paper_ballot_is_entered_only_for_someone_who_may_vote():
    """On paper as online: a person poll of verified residents takes no paper ballot for an
    unverified account, nor for a staff member who lives nowhere here."""
    from tests.factories import UserFactory

    poll = PollFactory()
    moderator = ModeratorFactory()
    for outsider in (UserFactory(), moderator):
        with pytest.raises(BallotRefused) as refused:
            enter_paper_ballot(poll, moderator, [first_choice(poll)], sheet="第1页", user=outsider)
        assert refused.value.status == 403
    assert not poll.participations.exists()
    enter_paper_ballot(poll, moderator, [first_choice(poll)], sheet="第1页", user=ResidentFactory())
    assert poll.participations.count() == 1


def test_a_tenant_does_not_see_the_owners_ballot_of_their_flat(client_for, one_flat):
    poll = facade_poll(owners=True)
    cast_ballot(poll, one_flat["owner"], [first_choice(poll)])
    receipt = poll.ballots.get().receipt
    as_tenant = client_for(one_flat["tenant"])
    assert receipt not in as_tenant.get("/accounts/ballots/").content.decode()
    assert receipt not in as_tenant.get(FACADE).content.decode()
    assert as_tenant.get("/api/deliberation/me/ballots/").json() == []
    # The owner (and a households' poll's members) see it.
    assert receipt in client_for(one_flat["owner"]).get("/accounts/ballots/").content.decode()
