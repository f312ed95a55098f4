"""Closing a poll: at its announced time, or early by two people, and always with a trace.

A poll is sealed only once its announced close has come (the scheduled ``seal_polls`` and a
moderator's "封存" alike). Closing earlier needs a moderator's reason and another staff
member's confirmation within 24 hours; the announced close, the actual close, who asked, who
confirmed and why are kept, shown and covered by the seal.
"""

import json
from datetime import timedelta
from io import StringIO

from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import dateformat, timezone
from django.utils.dateparse import parse_datetime

import pytest

from core.exceptions import Refused
from deliberation import ledger
from deliberation.audit import poll_export
from deliberation.ledger import verify_poll
from deliberation.models import EarlyClose, LedgerEntry, Poll
from deliberation.services import cast_ballot, confirm_early_close, request_early_close, seal_poll
from tests.concurrency import at_the_same_instant
from tests.factories import (
    BallotFactory,
    EarlyCloseFactory,
    EditorFactory,
    ModeratorFactory,
    PollFactory,
    ProposalPageFactory,
    ResidentFactory,
    SuperuserFactory,
    seal_after_close,
)

pytestmark = pytest.mark.django_db

REASON = "3号楼停电抢修，业主大会改期，本次表决提前截止。"


@pytest.fixture
def garden() -> Poll:
    """An open poll of a published proposal (announced to close in a week) with two ballots."""
    proposal = ProposalPageFactory(slug="garden-renewal", title="小花园微改造")
    poll = PollFactory(proposal=proposal, title="是否同意小花园微改造方案？")
    BallotFactory(poll=poll)
    BallotFactory(poll=poll, choice="不同意")
    return poll


def fresh(poll: Poll) -> Poll:
    return Poll.objects.get(pk=poll.pk)


def verify(poll: Poll) -> list:
    return ledger.verify_poll(fresh(poll))


def local_day(value) -> str:
    return dateformat.format(timezone.localtime(value), "n月j日")


# Closing at the announced time ------------------------------------------------------------------


def test_sealing_before_the_announced_close_is_refused_and_changes_nothing(garden):
    announced = garden.closes_at
    moderator = ModeratorFactory()
    for by in (None, moderator):
        with pytest.raises(Refused) as refusal:
            seal_poll(garden, by=by)
        assert refusal.value.status == 409 and "截止" in refusal.value.message
    poll = fresh(garden)
    assert poll.sealed_at is None and poll.sealed_by is None and poll.result is None
    assert poll.closes_at == announced
    assert not LedgerEntry.objects.filter(poll=garden, kind="close").exists()
    BallotFactory(poll=garden)  # still open: ballots are accepted


def test_seal_polls_seals_due_polls_by_the_system_and_leaves_open_ones(garden):
    due = PollFactory(
        opens_at=timezone.now() - timedelta(days=3), closes_at=timezone.now() - timedelta(hours=1)
    )
    announced = due.closes_at
    call_command("seal_polls", stdout=StringIO())
    due = fresh(due)
    assert due.sealed_at is not None and due.sealed_by is None
    assert due.closes_at == announced and not due.closed_early
    assert fresh(garden).sealed_at is None
    close = due.ledger.get(kind="close")
    payload = json.loads(close.payload)
    assert payload["kind"] == "close" and payload["sealed_by"] is None
    assert payload["early_close"] is None and payload["ballots"] == 0
    assert payload["announced_close"] == ledger._iso(announced)
    assert payload["closed_at"] == ledger._iso(due.sealed_at)
    assert (due.ledger_head, due.ledger_length) == (close.hash, 1)
    assert verify(due) == []


def test_a_moderator_seals_a_due_poll_and_is_recorded(garden):
    moderator = ModeratorFactory(display_name="王主任")
    poll = seal_after_close(garden, by=moderator)
    assert poll.sealed_by == moderator
    assert json.loads(poll.ledger.get(kind="close").payload)["sealed_by"] == moderator.pk
    assert poll_export(poll)["sealed_by"] == "王主任"
    with pytest.raises(Refused) as refusal:
        seal_poll(
            PollFactory(
                opens_at=timezone.now() - timedelta(days=3),
                closes_at=timezone.now() - timedelta(days=1),
            ),
            by=EditorFactory(),
        )
    assert refusal.value.status == 403


# Closing early ----------------------------------------------------------------------------------


def test_an_early_close_without_a_second_person_changes_nothing(garden):
    announced = garden.closes_at
    request = EarlyCloseFactory(poll=garden, reason=REASON)
    assert request.is_pending and request.confirmed_at is None
    poll = fresh(garden)
    assert poll.is_open and poll.sealed_at is None and poll.closes_at == announced
    BallotFactory(poll=garden)  # ballots are still accepted
    assert fresh(garden).participations.count() == 3
    html = Client().get(garden.proposal.url).content.decode()
    assert "提前截止" not in html and REASON not in html


def test_the_same_account_cannot_confirm_its_own_request(garden):
    request = EarlyCloseFactory(poll=garden)
    with pytest.raises(Refused) as refusal:
        confirm_early_close(request, request.requested_by)
    assert refusal.value.status == 403 and "另一位" in refusal.value.message
    assert fresh(garden).sealed_at is None
    assert EarlyClose.objects.get(pk=request.pk).confirmed_at is None


def test_asking_needs_a_moderator_a_reason_an_open_poll_and_one_request_at_a_time(garden):
    moderator = ModeratorFactory()
    for user, reason, status in [
        (EditorFactory(), REASON, 403),
        (ResidentFactory(), REASON, 403),
        (moderator, "   ", 400),
        (moderator, "长" * 501, 400),
    ]:
        with pytest.raises(Refused) as refusal:
            request_early_close(garden, user, reason)
        assert refusal.value.status == status
    request_early_close(garden, moderator, REASON)
    with pytest.raises(Refused) as refusal:
        request_early_close(garden, ModeratorFactory(), "另一个原因")
    assert refusal.value.status == 409 and "等待确认" in refusal.value.message
    closed = PollFactory(
        opens_at=timezone.now() - timedelta(days=3), closes_at=timezone.now() - timedelta(hours=1)
    )
    with pytest.raises(Refused) as refusal:
        request_early_close(closed, moderator, REASON)
    assert refusal.value.status == 409
    with pytest.raises(Refused) as refusal:
        confirm_early_close(EarlyClose.objects.get(poll=garden), EditorFactory())
    assert refusal.value.status == 403


def test_an_unconfirmed_request_lapses_after_24_hours(garden):
    request = EarlyCloseFactory(poll=garden)
    EarlyClose.objects.filter(pk=request.pk).update(
        requested_at=timezone.now() - timedelta(hours=EarlyClose.CONFIRM_WITHIN_HOURS, minutes=1)
    )
    request = EarlyClose.objects.get(pk=request.pk)
    assert not request.is_pending
    with pytest.raises(Refused) as refusal:
        confirm_early_close(request, ModeratorFactory())
    assert refusal.value.status == 409 and "失效" in refusal.value.message
    assert fresh(garden).sealed_at is None
    # A lapsed request does not stand in the way of a new one.
    assert request_early_close(garden, ModeratorFactory(), REASON).is_pending


def test_a_confirmed_early_close_records_shows_and_exports_everything(garden, tmp_path):
    announced = garden.closes_at
    asker = ModeratorFactory(display_name="李主任", first_name="真名", last_name="李")
    confirmer = SuperuserFactory(display_name="张书记", first_name="真名", last_name="张")
    request = request_early_close(garden, asker, REASON)
    poll = confirm_early_close(request, confirmer)

    poll = fresh(poll)
    request.refresh_from_db()
    assert poll.closes_at == announced  # the announced close is never moved
    assert poll.sealed_at is not None and poll.sealed_at < announced and poll.closed_early
    assert poll.sealed_by == confirmer
    assert (request.requested_by, request.confirmed_by) == (asker, confirmer)
    assert request.confirmed_at == poll.sealed_at and request.reason == REASON
    with pytest.raises(Refused):
        BallotFactory(poll=poll)

    # The seal covers the close.
    close = poll.ledger.order_by("-position").first()
    payload = json.loads(close.payload)
    assert close.kind == "close" and close.ballot_id is None
    assert (poll.ledger_head, poll.ledger_length) == (close.hash, 3)
    assert payload["early_close"] == {
        "reason": REASON,
        "requested_by": asker.pk,
        "requested_at": ledger._iso(request.requested_at),
        "confirmed_by": confirmer.pk,
        "confirmed_at": ledger._iso(request.confirmed_at),
    }
    assert payload["sealed_by"] == confirmer.pk and payload["ballots"] == 2

    # The proposal page.
    html = Client().get(poll.proposal.url).content.decode()
    assert (
        f"提前截止：原定{local_day(announced)}截止，由李主任提出，经张书记确认于"
        f"{local_day(poll.sealed_at)}截止，原因：{REASON}"
    ) in html
    assert "原定截止" in html
    assert "真名" not in html

    # The API.
    for url in ("/api/deliberation/polls/", f"/api/deliberation/polls/{poll.pk}/"):
        body = Client().get(url).json()
        item = body if isinstance(body, dict) else next(p for p in body if p["id"] == poll.pk)
        early = item["closed_early"]
        assert early["reason"] == REASON
        assert (early["requested_by"], early["confirmed_by"]) == ("李主任", "张书记")
        assert parse_datetime(early["announced_close"]) == announced
        assert parse_datetime(early["closed_at"]) == poll.sealed_at
        assert item["closes_at"] == early["announced_close"]

    # The exports.
    exported = poll_export(poll)
    assert exported["closes_at"] == announced.isoformat()
    assert exported["closed_at"] == poll.sealed_at.isoformat()
    assert exported["sealed_by"] == "张书记"
    assert exported["early_close"]["reason"] == REASON
    assert exported["early_close"]["requested_by"] == "李主任"
    assert len(exported["ballots"]) == 2  # the closing entry is not a ballot
    call_command("export_archive", str(tmp_path), stdout=StringIO())
    archived = json.loads((tmp_path / "polls" / f"{poll.pk}.json").read_text(encoding="utf-8"))
    assert archived["early_close"]["confirmed_by"] == "张书记"
    assert archived["closes_at"] == exported["closes_at"]
    assert archived["ledger"][-1]["payload"] == close.payload


def test_other_polls_say_they_were_not_closed_early(garden):
    sealed = seal_after_close(garden)
    item = Client().get(f"/api/deliberation/polls/{sealed.pk}/").json()
    assert item["closed_early"] is None
    assert poll_export(sealed)["early_close"] is None
    open_one = PollFactory(proposal=ProposalPageFactory())
    assert Client().get(f"/api/deliberation/polls/{open_one.pk}/").json()["closed_early"] is None


# The seal verifies, and what was altered is found ------------------------------------------------


@pytest.fixture
def closed_early(garden) -> Poll:
    request = EarlyCloseFactory(poll=garden, reason=REASON)
    return confirm_early_close(request, ModeratorFactory())


def verify_command() -> str:
    out = StringIO()
    call_command("verify_ledger", stdout=out, stderr=StringIO())
    return out.getvalue()


def failed_verification() -> str:
    err = StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("verify_ledger", stdout=StringIO(), stderr=err)
    return err.getvalue() + str(failure.value)


def test_verify_ledger_passes_for_an_early_closed_poll(closed_early):
    seal_after_close(PollFactory())  # and for one sealed on time
    assert verify(closed_early) == []
    assert "全部核验通过" in verify_command()


def test_an_altered_early_close_reason_is_found(closed_early):
    EarlyClose.objects.filter(poll=closed_early).update(reason="按计划截止")
    assert "[close]" in failed_verification()


def test_an_altered_closing_entry_or_announced_close_is_found(closed_early):
    close = closed_early.ledger.get(kind="close")
    data = json.loads(close.payload)
    forged = ledger.canonical(data | {"early_close": None})
    LedgerEntry.objects.filter(pk=close.pk).update(payload=forged)
    assert "[altered]" in failed_verification()
    # Rewritten with a matching hash, the seal no longer matches the chain.
    LedgerEntry.objects.filter(pk=close.pk).update(
        hash=ledger.chain_hash(close.previous_hash, forged)
    )
    assert "[close]" in failed_verification()
    LedgerEntry.objects.filter(pk=close.pk).update(payload=close.payload, hash=close.hash)
    assert verify(closed_early) == []
    Poll.objects.filter(pk=closed_early.pk).update(closes_at=closed_early.sealed_at)
    problems = verify(closed_early)
    assert problems and problems[0].kind == "close"


def test_a_removed_closing_entry_or_confirmation_is_found(closed_early):
    EarlyClose.objects.filter(poll=closed_early).update(confirmed_at=None, confirmed_by=None)
    assert verify(closed_early)[0].kind == "close"


def test_a_sealed_poll_from_before_closing_entries_still_verifies(garden):
    """Polls sealed before the closing entry existed end on their last ballot."""
    sealed = seal_after_close(garden)
    close = sealed.ledger.get(kind="close")
    close.delete()
    last = sealed.ledger.order_by("-position").first()
    Poll.objects.filter(pk=sealed.pk).update(ledger_head=last.hash, ledger_length=last.position)
    assert verify(sealed) == []
    assert "全部核验通过" in verify_command()


def test_a_closing_entry_before_a_ballot_is_found(garden):
    sealed = seal_after_close(garden)
    LedgerEntry.objects.filter(poll=sealed, kind="close").update(kind="ballot")
    assert verify(sealed)[0].kind == "close"


# The admin ----------------------------------------------------------------------------------


def poll_listing(client) -> str:
    return client.get("/admin/snippets/deliberation/poll/").content.decode()


def test_the_poll_listing_offers_seal_only_when_due_and_early_close_before(client_for, garden):
    asker, colleague = ModeratorFactory(), ModeratorFactory(display_name="赵干事")
    listing = poll_listing(client_for(asker))
    assert f"/admin/deliberation/polls/{garden.pk}/close-early/" in listing
    assert f"/admin/deliberation/polls/{garden.pk}/seal/" not in listing
    assert "立即封存" not in listing
    client = client_for(asker)
    form = client.get(f"/admin/deliberation/polls/{garden.pk}/close-early/")
    assert form.status_code == 200 and "原因" in form.content.decode()
    empty = client.post(f"/admin/deliberation/polls/{garden.pk}/close-early/", {"reason": ""})
    assert empty.status_code == 400
    done = client.post(f"/admin/deliberation/polls/{garden.pk}/close-early/", {"reason": REASON})
    assert done.status_code == 302
    assert fresh(garden).sealed_at is None
    request = EarlyClose.objects.get(poll=garden)
    confirm_url = f"/admin/deliberation/early-closes/{request.pk}/confirm/"
    assert confirm_url in poll_listing(client_for(colleague))

    # The requester is refused, with a message; nothing changes.
    refused = client.post(confirm_url, follow=True).content.decode()
    assert "须由另一位审核人员或管理员确认" in refused
    assert fresh(garden).sealed_at is None

    # Another moderator sees who asked, when, why and the announced close, then confirms.
    page = client_for(colleague).get(confirm_url).content.decode()
    assert asker.public_name in page and REASON in page
    assert timezone.localtime(garden.closes_at).strftime("%Y-%m-%d %H:%M") in page
    assert client_for(colleague).post(confirm_url).status_code == 302
    poll = fresh(garden)
    assert poll.sealed_at is not None and poll.sealed_by == colleague
    listing = client_for(colleague).get("/admin/deliberation/early-closes/").content.decode()
    assert REASON in listing and "赵干事" in listing


def test_seal_appears_once_the_announced_close_has_come(client_for):
    due = PollFactory(
        opens_at=timezone.now() - timedelta(days=3), closes_at=timezone.now() - timedelta(hours=1)
    )
    listing = poll_listing(client_for(ModeratorFactory()))
    assert f"/admin/deliberation/polls/{due.pk}/seal/" in listing
    assert f"/admin/deliberation/polls/{due.pk}/close-early/" not in listing
    assert f"/admin/deliberation/polls/{due.pk}/seal/" not in poll_listing(
        client_for(EditorFactory())
    )


# Two confirmations at the same instant ----------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_confirmations_at_the_same_instant_seal_once():
    poll = PollFactory()
    BallotFactory(poll=poll)
    request = EarlyCloseFactory(poll=poll, reason=REASON)
    confirmers = [ModeratorFactory(), SuperuserFactory()]
    outcomes = at_the_same_instant(
        [lambda user=user: confirm_early_close(request, user) for user in confirmers]
    )
    sealed = [o for o in outcomes if isinstance(o, Poll)]
    refused = [o for o in outcomes if isinstance(o, Refused)]
    assert len(sealed) == 1 and len(refused) == 1, outcomes
    assert refused[0].status == 409 and "已经确认" in refused[0].message
    poll = fresh(poll)
    assert poll.sealed_by_id == sealed[0].sealed_by_id
    assert poll.ledger.filter(kind="close").count() == 1
    assert EarlyClose.objects.get(pk=request.pk).confirmed_by_id == poll.sealed_by_id
    assert ledger.verify_poll(poll) == []


def test_a_ballot_that_arrives_as_the_poll_closes_early_is_refused_not_left_uncounted():
    """The voter's checks ran on the poll as it was; the early close was confirmed before the
    ballot was written. The window is checked again under the poll's lock, so the ballot is
    refused (409) instead of being accepted after the seal and left out of the count."""
    poll = PollFactory(household=True)
    as_seen_by_the_voter = Poll.objects.get(pk=poll.pk)
    voter = ResidentFactory()
    early = request_early_close(poll, ModeratorFactory(), "全部住户已投票")
    confirm_early_close(early, ModeratorFactory())
    with pytest.raises(Refused) as refused:
        cast_ballot(as_seen_by_the_voter, voter, [poll.choices.first().pk])
    assert refused.value.status == 409
    assert not poll.participations.exists()
    assert verify_poll(Poll.objects.get(pk=poll.pk)) == []


def test_removing_the_closing_entry_of_an_early_closed_poll_is_detected():
    poll = PollFactory(household=True)
    BallotFactory(poll=poll)
    early = request_early_close(poll, ModeratorFactory(), "提前截止")
    poll = confirm_early_close(early, ModeratorFactory())
    close = poll.ledger.get(kind="close")
    close.delete()
    Poll.objects.filter(pk=poll.pk).update(
        ledger_head=close.previous_hash, ledger_length=close.position - 1
    )
    EarlyClose.objects.filter(pk=early.pk).delete()
    problems = verify_poll(Poll.objects.get(pk=poll.pk))
    assert [p.kind for p in problems] == ["close"]


def test_an_open_polls_announced_close_cannot_be_moved_earlier_by_editing_it():
    from django.core.exceptions import ValidationError

    poll = PollFactory()
    announced = poll.closes_at
    edited = Poll.objects.get(pk=poll.pk)
    edited.closes_at = timezone.now() + timedelta(hours=1)
    with pytest.raises(ValidationError) as refused:
        edited.full_clean()
    assert "closes_at" in refused.value.message_dict
    # Nor by approving a draft that says so (saved before voting began, say): the announced
    # close stays.
    draft = edited.save_revision(user=ModeratorFactory(), clean=False)
    draft.publish(user=ModeratorFactory())
    assert Poll.objects.get(pk=poll.pk).closes_at == announced
    later = Poll.objects.get(pk=poll.pk)
    later.closes_at = announced + timedelta(days=1)
    later.full_clean()  # moving it later is allowed
