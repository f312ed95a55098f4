"""Writing and verifying the ballot ledger (the format is in ``deliberation.models.ledger``).

``append`` runs inside the transaction that writes the ballot, with the poll row locked, so a
ballot and its entry are stored together or not at all and positions never collide.
``verify_poll`` recomputes a poll's chain and tally from the stored rows and reports the first
thing that does not hold.
"""

import hashlib
import json
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

GENESIS = "0" * 64
FORMAT_VERSION = 1


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
    ``altered``, ``reordered``, ``changed``, ``unreadable``, ``seal``, ``result``); ``message``
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


def _entry_problem(poll, entry, expected_position, previous, ballots, picks):
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
        wrong = _entry_problem(poll, entry, expected_position, previous, ballots, picks)
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
    if poll.ledger_head != previous or poll.ledger_length != len(entries):
        return found(
            None, "seal", _("the seal does not match the ledger (head hash or length differs)")
        )
    if poll.result:
        counted = tally_poll(poll).as_dict()
        if any(counted[key] != poll.result.get(key) for key in ("participants", "choices")):
            return found(None, "result", _("the published result does not match the ballots"))
    return []
