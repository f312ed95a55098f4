"""Receipts residents keep: derived with the site's key, shown in the poll box after voting —
secret ballots included — and found again on 我的投票 and in the API, never with a secret
ballot's choice."""

from django.test import Client

import pytest

from deliberation.models import Ballot, Participation, Poll
from deliberation.services import (
    RECEIPT_ALPHABET,
    cast_ballot,
    normalise_receipt,
    receipt_for,
)
from tests.factories import (
    BallotFactory,
    HouseholdFactory,
    PaperBallotFactory,
    PollFactory,
    ProposalPageFactory,
    ResidentFactory,
)
from tests.html import PageReader

pytestmark = pytest.mark.django_db

GARDEN = "/yishiting/garden-renewal/"


def garden_poll() -> Poll:
    """A secret poll of residents on /yishiting/garden-renewal/."""
    garden = ProposalPageFactory(slug="garden-renewal", title="小花园微改造方案")
    return PollFactory(proposal=garden, title="是否同意小花园微改造方案？", secret=True)


def first_choice(poll: Poll) -> int:
    return poll.choices.order_by("sort_order").first().pk


def test_a_receipt_is_derived_from_the_participation_with_the_sites_key(settings):
    poll = PollFactory(secret=True)
    ballot = BallotFactory(poll=poll)
    participation = Participation.objects.get(poll=poll)
    assert len(participation.receipt_nonce) == 32
    assert ballot.receipt == receipt_for(participation)
    code = ballot.receipt.replace("-", "")
    assert len(ballot.receipt) == 14 and ballot.receipt[4] == ballot.receipt[9] == "-"
    assert set(code) <= set(RECEIPT_ALPHABET)
    assert normalise_receipt(ballot.receipt.lower().replace("-", "")) == ballot.receipt
    # The secret ballot is not linked to its participation; without the key nothing joins them.
    assert Ballot.objects.get(pk=ballot.pk).participation is None
    settings.SECRET_KEY = "another key"
    assert receipt_for(participation) != ballot.receipt


def test_the_poll_box_shows_a_secret_ballots_receipt_after_a_reload(client_for):
    poll = garden_poll()
    voter = ResidentFactory()
    client = client_for(voter)
    client.post(f"/polls/{poll.pk}/vote/", {"choices": [first_choice(poll)], "confirm": "1"})
    receipt = Ballot.objects.get(poll=poll).receipt
    for _reload in range(2):  # the flash message is gone after the first view; the box stays
        html = client.get(GARDEN).content.decode()
        box = html[html.index(f'id="poll-{poll.pk}"') : html.index('id="comments"')]
        strong = [s for s in PageReader(box).find_all("strong") if s.get("class") == "receipt"]
        assert [s.text for s in strong] == [receipt]
        assert "回执码" in box and "我的投票" in box
    assert receipt not in Client().get(GARDEN).content.decode()
    assert receipt not in client_for(ResidentFactory()).get(GARDEN).content.decode()


def test_my_ballots_lists_every_receipt_and_never_a_secret_choice(client_for):
    flat = HouseholdFactory()
    me = ResidentFactory(residency__household=flat)
    flatmate = ResidentFactory(residency__household=flat, family=True)
    secret = garden_poll()
    open_poll = PollFactory(title="楼道灯光颜色", choices=["暖光", "白光"])
    flats_poll = PollFactory(title="充电桩安装位置", household=True, choices=["北门", "南门"])
    paper_poll = PollFactory(title="纸质表决", household=True, secret=True)
    mine_secret = BallotFactory(poll=secret, voter=me, choice="不同意")
    mine_open = BallotFactory(poll=open_poll, voter=me, choice="白光")
    theirs = BallotFactory(poll=flats_poll, voter=flatmate, choice="南门")
    paper = PaperBallotFactory(poll=paper_poll, household=flat)
    BallotFactory(poll=open_poll, voter=ResidentFactory(), choice="暖光")  # someone else's

    response = client_for(me).get("/accounts/ballots/")
    assert response.status_code == 200
    html = response.content.decode()
    for ballot in (mine_secret, mine_open, theirs, paper):
        assert ballot.receipt in html
    cards = {
        card.text.split()[0]: card.text
        for card in PageReader(html).find_all("li")
        if "card" in (card.get("class") or "")
    }
    assert set(cards) == {
        "是否同意小花园微改造方案？",
        "楼道灯光颜色",
        "充电桩安装位置",
        "纸质表决",
    }
    assert "不同意" not in cards["是否同意小花园微改造方案？"]  # secret: never the choice
    assert "不记名投票" in cards["是否同意小花园微改造方案？"]
    assert "白光" in cards["楼道灯光颜色"]  # an open ballot may show it
    assert flat.label in cards["充电桩安装位置"] and "由您投出" not in cards["充电桩安装位置"]
    assert "纸质选票" in cards["纸质表决"]
    assert "暖光" not in html
    links = [a.get("href") for a in PageReader(html).find_all("a")]
    assert f"{GARDEN}#poll-{secret.pk}" in links
    # The flatmate sees the flat's ballots too, and which one they cast.
    theirs_page = client_for(flatmate).get("/accounts/ballots/").content.decode()
    assert theirs.receipt in theirs_page and "由您投出" in theirs_page
    assert mine_secret.receipt not in theirs_page  # a person's ballot stays theirs


def test_my_ballots_needs_a_sign_in(client_for):
    response = Client().get("/accounts/ballots/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert (
        "还没有投票记录" in client_for(ResidentFactory()).get("/accounts/ballots/").content.decode()
    )
    household_page = client_for(ResidentFactory()).get("/accounts/household/").content.decode()
    assert 'href="/accounts/ballots/"' in household_page


def test_the_api_lists_my_ballots_in_the_documented_shape(client_for):
    me = ResidentFactory()
    secret = garden_poll()
    open_poll = PollFactory(title="楼道灯光颜色", choices=["暖光", "白光"])
    first = BallotFactory(poll=open_poll, voter=me, choice="白光")
    second = BallotFactory(poll=secret, voter=me)
    response = client_for(me).get("/api/deliberation/me/ballots/")
    assert response.status_code == 200
    items = response.json()
    assert [set(item) for item in items] == [
        {"poll", "poll_title", "receipt", "cast_at", "channel"}
    ] * 2
    assert [(i["poll"], i["receipt"], i["channel"]) for i in items] == [
        (secret.pk, second.receipt, "online"),
        (open_poll.pk, first.receipt, "online"),
    ]
    assert items[0]["poll_title"] == "是否同意小花园微改造方案？" and items[0]["cast_at"]

    refused = Client().get("/api/deliberation/me/ballots/")
    assert refused.status_code in (401, 403)
    assert refused.json() == {"detail": "请先登录。"}
    schema = Client().get("/api/schema/").content.decode()
    assert "/api/deliberation/me/ballots/" in schema and "poll_title" in schema


def test_a_ballot_from_before_derived_receipts_keeps_what_it_had(client_for):
    me = ResidentFactory()
    open_poll, secret = PollFactory(), garden_poll()
    old_open = cast_ballot(open_poll, me, [first_choice(open_poll)])
    cast_ballot(secret, me, [first_choice(secret)])
    Participation.objects.update(receipt_nonce="")  # as rows written before
    Ballot.objects.filter(pk=old_open.pk).update(receipt="OLD0-RECE-1PT0")
    items = {
        i["poll"]: i["receipt"] for i in client_for(me).get("/api/deliberation/me/ballots/").json()
    }
    assert items == {open_poll.pk: "OLD0-RECE-1PT0", secret.pk: ""}
    detail = client_for(me).get(f"/api/deliberation/polls/{open_poll.pk}/").json()
    assert detail["my_ballot"]["receipt"] == "OLD0-RECE-1PT0"
    secret_detail = client_for(me).get(f"/api/deliberation/polls/{secret.pk}/").json()
    assert "receipt" not in secret_detail["my_ballot"]


def test_a_derived_receipt_is_found_by_the_lookup():
    ballot = BallotFactory(poll=garden_poll())
    facts = Client().get(f"/api/deliberation/receipts/{ballot.receipt}/").json()
    assert (
        facts["receipt"] == ballot.receipt and facts["poll_title"] == "是否同意小花园微改造方案？"
    )
    assert "choices" not in facts
