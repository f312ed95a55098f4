"""Writing and verifying the ballot ledger (the format is in ``deliberation.models.ledger``).

``append`` runs inside the transaction that writes the ballot, with the poll row locked, so a
ballot and its entry are stored together or not at all and positions never collide.
``append_close`` writes the last entry when the poll is sealed (kind ``close``): the announced
and the actual close, who sealed it and any confirmed early close, so the seal covers them.
``verify_poll`` recomputes a poll's chain and tally from the stored rows and reports the first
thing that does not hold.
"""

import datetime
import hashlib
import json
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

GENESIS = "0" * 64
FORMAT_VERSION = 1
CLOSE = "close"


def canonical(data: dict) -> str:
    """Sorted keys, no spaces, UTF-8 kept as is: the same bytes in any language."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def chain_hash(previous_hash: str, payload: str) -> str:
    return hashlib.sha256(f"{previous_hash}\n{payload}".encode()).hexdigest()


def ballot_payload(poll_id: int, position: int, ballot, choice_ids, nonce: str) -> str:
    return canonical(
        {
            "v": FORMAT_VERSION,
            "poll": poll_id,
            "position": position,
            "ballot": str(ballot.pk),
            "choices": sorted(choice_ids),
            "weight": str(Decimal(ballot.weight).quantize(Decimal("0.01"))),
            "channel": ballot.channel,
            "nonce": nonce,
        }
    )


def _iso(value) -> str | None:
    """A stored time as ISO 8601 in UTC (the same text whichever zone the reader is in)."""
    return value.astimezone(datetime.UTC).isoformat() if value else None


def close_payload(poll, position: int, early_close, ballots: int, nonce: str) -> str:
    """The closing entry of a sealed poll: what the seal says about how the poll closed."""
    early = None
    if early_close is not None:
        early = {
            "reason": early_close.reason,
            "requested_by": early_close.requested_by_id,
            "requested_at": _iso(early_close.requested_at),
            "confirmed_by": early_close.confirmed_by_id,
            "confirmed_at": _iso(early_close.confirmed_at),
        }
    return canonical(
        {
            "v": FORMAT_VERSION,
            "kind": "close",
            "poll": poll.pk,
            "position": position,
            "announced_close": _iso(poll.closes_at),
            "closed_at": _iso(poll.sealed_at),
            "sealed_by": poll.sealed_by_id,
            "early_close": early,
            "ballots": ballots,
            "nonce": nonce,
        }
    )


def confirmed_early_close(poll):
    """The confirmed early close of ``poll``, or None (there is at most one)."""
    from deliberation.models import EarlyClose

    return (
        EarlyClose.objects.filter(poll=poll, confirmed_at__isnull=False)
        .order_by("confirmed_at", "pk")
        .first()
    )


def append_close(poll, early_close=None):
    """The closing entry, written by sealing (poll row locked, ``sealed_at`` and
    ``sealed_by`` already set): it follows the last ballot and ends the chain."""
    from deliberation.models import LedgerEntry

    last = LedgerEntry.objects.filter(poll=poll).order_by("-position").first()
    position = last.position + 1 if last else 1
    previous = last.hash if last else GENESIS
    ballots = LedgerEntry.objects.filter(poll=poll).exclude(kind=CLOSE).count()
    payload = close_payload(poll, position, early_close, ballots, secrets.token_hex(16))
    return LedgerEntry.objects.create(
        poll=poll,
        position=position,
        ballot_id=None,
        kind=CLOSE,
        payload=payload,
        previous_hash=previous,
        hash=chain_hash(previous, payload),
    )


def is_close(entry, data: dict | None = None) -> bool:
    """Whether an entry is a poll's closing entry (by its stored kind or its content)."""
    return entry.kind == CLOSE or (data or {}).get("kind") == CLOSE


def append(poll, ballot, choice_ids):
    """The entry for a ballot just written (call with the poll row locked)."""
    from deliberation.models import LedgerEntry

    last = LedgerEntry.objects.filter(poll=poll).order_by("-position").first()
    position = last.position + 1 if last else 1
    previous = last.hash if last else GENESIS
    payload = ballot_payload(poll.pk, position, ballot, choice_ids, secrets.token_hex(16))
    return LedgerEntry.objects.create(
        poll=poll,
        position=position,
        ballot_id=ballot.pk,
        payload=payload,
        previous_hash=previous,
        hash=chain_hash(previous, payload),
    )


def head(poll) -> tuple[str, int]:
    from deliberation.models import LedgerEntry

    last = LedgerEntry.objects.filter(poll=poll).order_by("-position").first()
    return (last.hash, last.position) if last else (GENESIS, 0)


@dataclass
class Problem:
    """What broke, where. ``kind`` is a stable code for scripts (``deleted``, ``inserted``,
    ``altered``, ``reordered``, ``changed``, ``unreadable``, ``close``, ``seal``, ``result``);
    ``message``
    says it in the reader's language."""

    poll_id: int
    position: int | None
    kind: str
    message: str

    def __str__(self) -> str:
        where = _("poll %(poll)s") % {"poll": self.poll_id}
        if self.position:
            where += " " + _("entry %(position)s") % {"position": self.position}
        return f"{where}: {self.message} [{self.kind}]"


def _close_problem(poll, entry, data, is_last, ballots_before):
    """``(kind, message)`` for what is wrong with the closing entry, or None."""
    if not is_last:
        return CLOSE, _("the closing entry is not the last entry of the ledger")
    if poll.sealed_at is None:
        return CLOSE, _("the ledger has a closing entry but the poll is not sealed")
    mismatch = _(
        "the closing entry does not match the poll (announced or actual close, who sealed "
        "it, or its early close)"
    )
    if entry.kind != CLOSE or entry.ballot_id is not None:
        return CLOSE, mismatch
    expected = close_payload(
        poll, entry.position, confirmed_early_close(poll), ballots_before, data.get("nonce", "")
    )
    if json.loads(expected) != data:
        return CLOSE, mismatch
    return None


def _entry_problem(poll, entry, expected_position, previous, ballots, picks, is_last=False):
    """``(kind, message)`` for the first thing wrong with one entry, or None."""
    if entry.position != expected_position:
        return "reordered", _("positions are not consecutive (expected %(n)s)") % {
            "n": expected_position
        }
    if entry.previous_hash != previous:
        return "reordered", _("does not follow the entry before it (reordered or altered)")
    if chain_hash(previous, entry.payload) != entry.hash:
        return "altered", _("its hash does not match its content (altered)")
    try:
        data = json.loads(entry.payload)
    except ValueError:
        return "unreadable", _("its content is not readable")
    if data.get("poll") != poll.pk or data.get("position") != entry.position:
        return "altered", _("its content names another poll or position")
    if is_close(entry, data):
        return _close_problem(poll, entry, data, is_last, expected_position - 1)
    ballot = ballots.get(entry.ballot_id)
    if ballot is None or str(entry.ballot_id) != data.get("ballot"):
        return "deleted", _("its ballot is missing from the database (deleted)")
    recorded = ballot_payload(poll.pk, entry.position, ballot, picks.get(ballot.pk, []), "")
    if json.loads(recorded) | {"nonce": data.get("nonce")} != data:
        return "changed", _("its ballot was changed after it was recorded")
    return None


def verify_poll(poll) -> list[Problem]:
    """What about ``poll``'s ledger does not hold — the first problem, or an empty list when the
    chain, the ballots, the seal and the published counts all agree."""
    from deliberation.models import Ballot, BallotChoice, LedgerEntry
    from deliberation.tally import tally_poll

    def found(position, kind, message):
        return [Problem(poll.pk, position, kind, message)]

    entries = list(LedgerEntry.objects.filter(poll=poll).order_by("position", "pk"))
    ballots = {b.pk: b for b in Ballot.objects.filter(poll=poll)}
    picks: dict = {}
    for ballot_id, choice_id in BallotChoice.objects.filter(ballot__poll=poll).values_list(
        "ballot_id", "choice_id"
    ):
        picks.setdefault(ballot_id, []).append(choice_id)
    previous = GENESIS
    for expected_position, entry in enumerate(entries, start=1):
        is_last = expected_position == len(entries)
        wrong = _entry_problem(poll, entry, expected_position, previous, ballots, picks, is_last)
        if wrong:
            return found(entry.position, *wrong)
        previous = entry.hash
    unrecorded = set(ballots) - {entry.ballot_id for entry in entries}
    if unrecorded:
        return found(
            None,
            "inserted",
            _("%(count)s ballot(s) in the database are not in the ledger (inserted)")
            % {"count": len(unrecorded)},
        )
    if poll.sealed_at is None:
        return []
    closed = bool(entries) and is_close(entries[-1])
    if not closed and (
        poll.sealed_at < poll.closes_at
        or poll.sealed_by_id is not None
        or confirmed_early_close(poll) is not None
    ):
        # Polls sealed before closing entries existed were sealed at their close by the
        # scheduled task; a poll sealed by someone, or early, must say so in its last entry.
        return found(
            None,
            "close",
            _("the poll was sealed early or by someone, but its ledger has no closing entry"),
        )
    if poll.ledger_head != previous or poll.ledger_length != len(entries):
        return found(
            None, "seal", _("the seal does not match the ledger (head hash or length differs)")
        )
    if poll.result:
        counted = tally_poll(poll).as_dict()
        if any(counted[key] != poll.result.get(key) for key in ("participants", "choices")):
            return found(None, "result", _("the published result does not match the ballots"))
    return []
