"""The ballot ledger: appended with every ballot, sealed with the poll, verified from the stored
rows; tampering behind the application's back is found and named; auditors read it, nobody
else; a secret poll's exports link no voter to a choice."""

import hashlib
import json
from datetime import timedelta
from io import StringIO

from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

import pytest

from deliberation import ledger
from deliberation.audit import poll_csv, poll_export
from deliberation.models import (
    Ballot,
    BallotChoice,
    LedgerEntry,
    Participation,
    Poll,
    ProposalStage,
)
from deliberation.services import cast_ballot
from home.models import User
from tests.concurrency import at_the_same_instant
from tests.factories import (
    AuditorFactory,
    EditorFactory,
    ModeratorFactory,
    PollFactory,
    ProposalPageFactory,
    ResidentFactory,
    seal_after_close,
    sealed_civil_code_poll,
)

pytestmark = pytest.mark.django_db


def poll_of(slug: str) -> Poll:
    return Poll.objects.get(proposal__slug=slug)


def vote(poll: Poll, *voters: User) -> list[Ballot]:
    first = poll.choices.order_by("sort_order").first().pk
    return [cast_ballot(poll, voter, [first]) for voter in voters]


def secret_garden_poll() -> Poll:
    """The garden renewal's poll: one ballot per person, not recorded by name."""
    garden = ProposalPageFactory(
        slug="garden-renewal", title="小花园微改造方案", stage=ProposalStage.VOTING
    )
    return PollFactory(proposal=garden, title="是否同意小花园微改造方案？", secret=True)


def verify(poll: Poll | None = None) -> str:
    out, err = StringIO(), StringIO()
    args = ["--poll", str(poll.pk)] if poll else []
    call_command("verify_ledger", *args, stdout=out, stderr=err)
    return out.getvalue()


def broken(poll: Poll) -> str:
    with pytest.raises(CommandError) as failure:
        verify(poll)
    return str(failure.value)


@pytest.fixture
def garden() -> Poll:
    """The garden poll with four ballots."""
    poll = secret_garden_poll()
    vote(poll, *ResidentFactory.create_batch(4))
    return poll


@pytest.fixture
def elevator() -> Poll:
    """The elevator's Civil Code poll, decided online and on paper, and sealed."""
    proposal = ProposalPageFactory(
        slug="elevator-maintenance-fund",
        title="使用维修资金更换1号楼电梯",
        stage=ProposalStage.PUBLICISED,
    )
    return sealed_civil_code_poll(
        proposal=proposal, title="是否同意使用专项维修资金更换1号楼电梯？"
    )


# Writing and sealing --------------------------------------------------------------------------


def test_each_ballot_appends_one_chained_entry(garden):
    entries = list(garden.ledger.order_by("position"))
    assert [e.position for e in entries] == [1, 2, 3, 4]
    assert entries[0].previous_hash == ledger.GENESIS
    for before, after in zip(entries, entries[1:], strict=False):
        assert after.previous_hash == before.hash
    for entry in entries:
        expected = hashlib.sha256(f"{entry.previous_hash}\n{entry.payload}".encode()).hexdigest()
        assert entry.hash == expected


def test_a_ballot_and_its_entry_are_written_together_or_not_at_all(monkeypatch):
    poll = secret_garden_poll()
    resident = ResidentFactory(username="resident5")

    def fail(*args):
        raise RuntimeError("disk full")

    monkeypatch.setattr("deliberation.ledger.append", fail)
    with pytest.raises(RuntimeError):
        vote(poll, resident)
    assert not Participation.objects.filter(poll=poll, user__username="resident5").exists()
    assert not Ballot.objects.filter(poll=poll).exists()


def test_sealing_records_the_head_and_every_poll_verifies(garden):
    sealed = seal_after_close(garden)
    head = garden.ledger.order_by("-position").first()
    # Four ballots, then the closing entry the seal ends on.
    assert head.kind == "close" and json.loads(head.payload)["ballots"] == 4
    assert (sealed.ledger_head, sealed.ledger_length) == (head.hash, 5)
    assert sealed.result["ledger"] == {"head": head.hash, "entries": 5}
    output = verify()
    assert f"{Poll.objects.count()} 个表决全部核验通过" in output


def test_the_sealed_result_shows_the_seal_and_online_and_paper_counts(elevator):
    html = Client().get("/yishiting/elevator-maintenance-fund/").content.decode()
    poll = poll_of("elevator-maintenance-fund")
    assert poll.ledger_head and poll.ledger_head in html
    assert "网上" in html and "纸质" in html and "如何验证" in html


# Tampering ------------------------------------------------------------------------------------


def test_a_deleted_ballot_row_is_found(garden):
    victim = garden.ledger.get(position=2)
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM deliberation_ballotchoice WHERE ballot_id = %s", [victim.ballot_id.hex]
        )
        cursor.execute("DELETE FROM deliberation_ballot WHERE id = %s", [victim.ballot_id.hex])
    if not Ballot.objects.filter(pk=victim.ballot_id).exists():
        message = broken(garden)
        assert f"表决 {garden.pk} 第 2 条" in message and "[deleted]" in message
        assert "被删除" in message  # said in the auditor's language
    else:  # PostgreSQL stores UUIDs natively
        Ballot.objects.filter(pk=victim.ballot_id).delete()
        assert "第 2 条" in broken(garden)


def test_a_ballot_inserted_behind_the_back_is_found(garden):
    ballot = Ballot.objects.create(poll=garden, receipt="FAKE-FAKE-0001", weight=1)
    BallotChoice.objects.create(ballot=ballot, choice=garden.choices.first())
    assert "[inserted]" in broken(garden)


def test_a_changed_choice_is_found(garden):
    entry = garden.ledger.get(position=3)
    other = garden.choices.order_by("-sort_order").first()
    BallotChoice.objects.filter(ballot_id=entry.ballot_id).update(choice=other)
    message = broken(garden)
    assert "第 3 条" in message and "[changed]" in message


def test_an_altered_entry_hash_or_payload_is_found(garden):
    LedgerEntry.objects.filter(poll=garden, position=2).update(hash="f" * 64)
    assert "第 2 条" in broken(garden)
    LedgerEntry.objects.filter(poll=garden, position=2).update(
        hash=garden.ledger.get(position=3).previous_hash
    )
    verify(garden)  # back as it was
    payload = json.loads(garden.ledger.get(position=1).payload)
    payload["weight"] = "99.00"
    LedgerEntry.objects.filter(poll=garden, position=1).update(payload=ledger.canonical(payload))
    assert "第 1 条" in broken(garden) and "[altered]" in broken(garden)


def test_reordered_entries_are_found(garden):
    LedgerEntry.objects.filter(poll=garden, position=2).update(position=99)
    LedgerEntry.objects.filter(poll=garden, position=3).update(position=2)
    LedgerEntry.objects.filter(poll=garden, position=99).update(position=3)
    assert "第 2 条" in broken(garden) and "[reordered]" in broken(garden)


def test_a_forged_seal_or_result_is_found(garden):
    seal_after_close(garden)
    Poll.objects.filter(pk=garden.pk).update(ledger_head="0" * 63 + "1")
    assert "[seal]" in broken(Poll.objects.get(pk=garden.pk))
    Poll.objects.filter(pk=garden.pk).update(
        ledger_head=garden.ledger.order_by("-position").first().hash
    )
    poll = Poll.objects.get(pk=garden.pk)
    forged = dict(poll.result)
    forged["choices"] = [dict(c, count=c["count"] + 5) for c in forged["choices"]]
    Poll.objects.filter(pk=garden.pk).update(result=forged)
    assert "[result]" in broken(Poll.objects.get(pk=garden.pk))


# Who may read it ------------------------------------------------------------------------------

AUDIT_URLS = [
    "/admin/audit/",
    "/admin/audit/polls/{poll}/",
    "/admin/audit/polls/{poll}/export.csv",
    "/admin/audit/polls/{poll}/export.json",
    "/admin/audit/residents/",
]


ACCOUNTS = {
    "auditor": AuditorFactory,
    "resident1": ResidentFactory,
    "editor": EditorFactory,
    "moderator": ModeratorFactory,
}


@pytest.mark.parametrize("username", ["auditor", "resident1", "editor", "moderator", None])
def test_only_auditors_read_the_ledger_and_exports(client_for, garden, username):
    client = client_for(ACCOUNTS[username]()) if username else Client()
    api = client.get(f"/api/deliberation/polls/{garden.pk}/ledger/")
    pages = [client.get(url.format(poll=garden.pk)) for url in AUDIT_URLS]
    head = garden.ledger.order_by("-position").first().hash
    if username == "auditor":
        assert api.status_code == 200 and api.json()["head"] == head
        assert len(api.json()["entries"]) == 4
        assert all(page.status_code == 200 for page in pages)
    else:
        assert api.status_code == 403 and "监督委员会" in api.json()["detail"]
        for url, page in zip(AUDIT_URLS, pages, strict=True):
            assert page.status_code in (302, 403), (username, url)
            assert head.encode() not in page.content


def test_the_auditors_overview_shows_every_poll_with_its_verification(client_for, garden):
    auditor = AuditorFactory()
    html = client_for(auditor).get("/admin/audit/").content.decode()
    for poll in Poll.objects.all():
        assert poll.title in html
    # Sealed polls are verified; the open ones so far ("账本目前一致（尚未封存）").
    verified = html.count("已核验") + html.count("账本目前一致")
    assert verified == Poll.objects.count()
    LedgerEntry.objects.filter(poll=garden, position=1).update(hash="0" * 64)
    html = client_for(auditor).get("/admin/audit/").content.decode()
    assert html.count("已核验") + html.count("账本目前一致") == Poll.objects.count() - 1


# Secrecy --------------------------------------------------------------------------------------


def test_a_secret_polls_exports_link_no_voter_to_a_choice(garden):
    assert garden.secret
    exported = json.dumps(poll_export(garden), ensure_ascii=False, default=str)
    exported += poll_csv(garden)
    exported += json.dumps(
        Client(HTTP_HOST="testserver").get("/").status_code
    )  # the public page is not the point; the exports are
    participations = Participation.objects.filter(poll=garden)
    voters = [participation.user for participation in participations]
    for user in voters:
        assert user.username not in exported and user.public_name not in exported
        assert f"person:{user.pk}" not in exported
    for participation in participations:
        assert participation.created_at.isoformat() not in exported
    for ballot in Ballot.objects.filter(poll=garden):
        assert ballot.participation_id is None and ballot.receipt not in exported
    for entry in garden.ledger.all():
        assert set(json.loads(entry.payload)) == {
            "v", "poll", "position", "ballot", "choices", "weight", "channel", "nonce",
        }  # fmt: skip


def test_a_secret_ballot_cannot_be_weighed_by_floor_area():
    from django.core.exceptions import ValidationError

    poll = Poll(
        title="秘密按面积",
        voters="households",
        weighting="floor_area",
        secret=True,
        opens_at=timezone.now(),
        closes_at=timezone.now() + timedelta(days=1),
    )
    with pytest.raises(ValidationError) as refused:
        poll.full_clean()
    assert "secret" in refused.value.message_dict


# Receipts and open data -----------------------------------------------------------------------


def test_a_receipt_shows_its_place_in_the_ledger_but_not_the_choice(elevator):
    ballot = Ballot.objects.filter(poll=elevator).first()
    entry = LedgerEntry.objects.get(ballot_id=ballot.pk)
    data = Client().get(f"/api/deliberation/receipts/{ballot.receipt}/").json()
    assert data["ledger"] == {"position": entry.position, "hash": entry.hash}
    assert "choices" not in json.dumps(data)
    page = Client().get("/receipts/", {"code": ballot.receipt.lower()})
    html = page.content.decode()
    assert page.status_code == 200 and entry.hash in html
    facts = html.split('<dl class="facts"')[1].split("</dl>")[0].replace(elevator.title, "")
    for choice in elevator.choices.all():
        assert choice.label not in facts
    assert Client().get("/receipts/", {"code": "NOPE-NOPE-NOPE"}).status_code == 404


def test_a_secret_ballots_receipt_does_not_give_its_place_in_the_ledger(garden):
    """The sealed ledger publishes each entry's choices: a place would reveal the choice to
    whoever holds the receipt (a buyer of votes, say)."""
    ballot = Ballot.objects.filter(poll=garden).first()
    entry = LedgerEntry.objects.get(ballot_id=ballot.pk)
    data = Client().get(f"/api/deliberation/receipts/{ballot.receipt}/").json()
    assert data["ledger"] is None and data["poll"] == garden.pk
    page = Client().get("/receipts/", {"code": ballot.receipt}).content.decode()
    assert entry.hash not in page and "不记名" in page


def test_export_archive_writes_open_data_a_third_party_can_verify(garden, tmp_path):
    from search.documents import sync_page

    sync_page(garden.proposal_id)  # what publishing puts in the archive once it commits
    seal_after_close(garden)
    call_command("export_archive", str(tmp_path), stdout=StringIO())
    pages = json.loads((tmp_path / "pages.json").read_text(encoding="utf-8"))
    assert any(page["kind"] == "proposal" for page in pages)
    recipe = (tmp_path / "README.txt").read_text(encoding="utf-8")
    assert "SHA-256" in recipe
    for path in (tmp_path / "polls").glob("*.json"):
        poll = json.loads(path.read_text(encoding="utf-8"))
        previous = "0" * 64
        for entry in poll["ledger"]:
            assert entry["previous_hash"] == previous
            previous = hashlib.sha256((previous + "\n" + entry["payload"]).encode()).hexdigest()
            assert previous == entry["hash"]
        assert previous == poll["seal"]["head"]
        assert len(poll["ledger"]) == poll["seal"]["entries"]


# At the same instant --------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_ballots_arriving_together_make_one_unbroken_chain():
    poll = secret_garden_poll()
    first = poll.choices.order_by("sort_order").first().pk
    users = ResidentFactory.create_batch(12)
    outcomes = at_the_same_instant(
        [lambda u=user: cast_ballot(poll, u, [first]) for user in users for _ in range(2)]
    )
    accepted = [o for o in outcomes if isinstance(o, Ballot)]
    assert len(accepted) == 12
    assert list(poll.ledger.order_by("position").values_list("position", flat=True)) == list(
        range(1, 13)
    )
    assert ledger.verify_poll(poll) == []


def test_each_choice_of_a_sealed_result_shows_its_online_and_paper_ballots(elevator):
    import re

    from tests.html import PageReader

    poll = poll_of("elevator-maintenance-fund")
    html = Client().get("/yishiting/elevator-maintenance-fund/").content.decode()
    elements = PageReader(html).elements
    labels = set(poll.choices.values_list("label", flat=True))
    rows = {}  # a choice's row: its label, then its figures (total, then online and paper)
    for index, element in enumerate(elements):
        if element.get("class") == "poll__row-label" and element.text.strip() in labels:
            figures = next(
                e.text for e in elements[index:] if e.get("class") == "poll__row-figures"
            )
            total = re.match(r"(\d+)票", figures).group(1)
            online, paper = re.search(r"网上 (\d+)，纸质 (\d+)", figures).groups()
            rows[element.text.strip()] = [online, paper, total]
    assert set(rows) == labels
    for choice in poll.choices.all():
        picks = BallotChoice.objects.filter(choice=choice)
        expected = [
            str(picks.filter(ballot__channel="online").count()),
            str(picks.filter(ballot__channel="paper").count()),
            str(picks.count()),
        ]
        assert rows[choice.label] == expected, choice.label
    assert any(int(paper) for _online, paper, _total in rows.values())  # both channels shown
