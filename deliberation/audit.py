"""What the supervision committee (居务监督委员会) reads and exports: per poll the rule, turnout,
tally, seal (who sealed, when, any early close), verification and ledger; ballots without
anyone's identity; for open (记名) polls the list of participants; and the public archive as
open data.

Ballots are listed by their id, choices, weight and channel, never their voter. Who took part
is a separate list, only for open polls (``participants_export``). A secret poll shows no
count per choice — to auditors neither — until it is sealed: turnout only, and its ledger
without payloads (they hold the choices).
"""

import csv
import io
import json

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from core.spreadsheets import safe_cell
from deliberation.ledger import GENESIS, confirmed_early_close, is_close, verify_poll
from deliberation.models import Channel
from deliberation.tally import in_order, poll_rule_in_words, shown_counts


def payloads_withheld(poll) -> bool:
    """A secret poll's ledger payloads (its choices) stay unread until it is sealed."""
    return poll.secret and poll.sealed_at is None


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _name(user) -> str | None:
    return user.public_name if user is not None else None


def early_close_facts(early_close) -> dict | None:
    """A confirmed (or any) early close in public names: who asked, who confirmed, why."""
    if early_close is None:
        return None
    return {
        "reason": early_close.reason,
        "requested_by": _name(early_close.requested_by),
        "requested_at": _iso(early_close.requested_at),
        "confirmed_by": _name(early_close.confirmed_by),
        "confirmed_at": _iso(early_close.confirmed_at),
    }


def closing_facts(poll) -> dict:
    """How ``poll`` closed: the announced close, the actual close (its seal), who sealed it
    (None: the scheduled task at the announced time) and any confirmed early close."""
    early = confirmed_early_close(poll) if poll.sealed_at else None
    return {
        "announced_close": _iso(poll.closes_at),
        "closed_at": _iso(poll.sealed_at),
        "sealed_by": _name(poll.sealed_by) if poll.sealed_by_id else None,
        "early_close": early_close_facts(early),
    }


def early_close_rows(requests) -> list[dict]:
    """Requests to close early with their state: pending, confirmed or lapsed."""
    rows = []
    for request in requests:
        if request.confirmed_at is not None:
            state = "confirmed"
        elif request.is_pending and request.poll.sealed_at is None:
            state = "pending"
        else:
            state = "lapsed"
        rows.append({"request": request, "state": state})
    return rows


def ledger_export(poll) -> dict:
    """The chain of a poll. For a secret poll not yet sealed, positions and hashes only: the
    payloads (which hold the choices) are null until the seal."""
    entries = list(poll.ledger.order_by("position"))
    withheld = payloads_withheld(poll)
    return {
        "poll": poll.pk,
        "title": poll.title,
        "secret": poll.secret,
        "sealed_at": poll.sealed_at,
        "head": entries[-1].hash if entries else GENESIS,
        "payloads_withheld": withheld,
        "entries": [
            {
                "position": e.position,
                "kind": e.kind,
                "previous_hash": e.previous_hash,
                "hash": e.hash,
                "payload": None if withheld else e.payload,
            }
            for e in entries
        ],
    }


def ballots_export(poll) -> list[dict]:
    """Every ballot as the ledger recorded it: no voter, no receipt, no time. The closing
    entry is not a ballot and is left out; a secret poll's ballots wait for its seal."""
    if payloads_withheld(poll):
        return []
    labels = {c.pk: c.label for c in poll.choices.all()}
    rows = []
    for entry in poll.ledger.order_by("position"):
        data = json.loads(entry.payload)
        if is_close(entry, data):
            continue
        rows.append(
            {
                "position": entry.position,
                "ballot": data["ballot"],
                "choices": [labels.get(pk, str(pk)) for pk in data["choices"]],
                "weight": data["weight"],
                "channel": data["channel"],
                "hash": entry.hash,
            }
        )
    return rows


def poll_summary(poll) -> dict:
    """The line of the auditors' overview: rule, eligible, turnout, tally, seal, verification."""
    counts = shown_counts(poll)
    choices = sorted(poll.choices.all(), key=in_order)
    problems = verify_poll(poll)
    # A secret poll's counts per choice are nobody's until the seal, auditors' included.
    hidden = poll.secret and poll.sealed_at is None
    return {
        "poll": poll,
        "rule": poll_rule_in_words(poll, choices),
        "eligible": counts["eligible"]["count"],
        "participants": counts["participants"],
        "turnout": round(counts["turnout"] * 100, 1),
        "choices": None if hidden else counts["choices"],
        "outcome": (poll.result or {}).get("outcome") if poll.sealed_at else None,
        "head": poll.ledger_head,
        "closing": closing_facts(poll),
        "verified": not problems,
        "problem": str(problems[0]) if problems else "",
    }


def poll_export(poll) -> dict:
    """The JSON export of one poll: result, seal, how it closed, ballots and chain.
    ``closes_at`` is the announced close; ``closed_at`` the actual one (its seal)."""
    closing = closing_facts(poll)
    return {
        "poll": poll.pk,
        "title": poll.title,
        "rule": poll.rule,
        "secret": poll.secret,
        "unit": poll.unit,
        "kind": poll.kind,
        "voters": poll.voters,
        "weighting": poll.weighting,
        "opens_at": poll.opens_at.isoformat(),
        "closes_at": poll.closes_at.isoformat(),
        "sealed_at": poll.sealed_at.isoformat() if poll.sealed_at else None,
        "closed_at": closing["closed_at"],
        "sealed_by": closing["sealed_by"],
        "early_close": closing["early_close"],
        "result": poll.result,
        "seal": {"head": poll.ledger_head, "entries": poll.ledger_length},
        "ballots": ballots_export(poll),
        "ledger": ledger_export(poll)["entries"],
    }


def poll_csv(poll) -> str:
    """The ballots of one poll as CSV (UTF-8 with BOM, for Excel), one row per ledger entry."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(["position", "ballot", "choices", "weight", "channel", "previous_hash", "hash"])
    entries = {e["position"]: e for e in ledger_export(poll)["entries"]}
    for row in ballots_export(poll):
        writer.writerow(
            [
                row["position"],
                row["ballot"],
                safe_cell("|".join(row["choices"])),
                row["weight"],
                row["channel"],
                entries[row["position"]]["previous_hash"],
                row["hash"],
            ]
        )
    return out.getvalue()


def participants_export(poll, *, as_text: bool = True) -> list[dict] | None:
    """Who took part in an open (记名) poll, for the supervision committee only: the person
    (public name) or the flat, who cast it, the channel, the time, and for a paper ballot who
    entered it from which sheet. None for a secret poll: its participants are not listed.
    Times are ISO text, or datetimes with ``as_text=False`` (for a template)."""
    if poll.secret:
        return None
    rows = []
    for p in poll.participations.select_related("user", "household__building", "entered_by"):
        rows.append(
            {
                "voter": p.household.label if p.household_id else _name(p.user),
                "cast_by": _name(p.user) if p.channel == Channel.ONLINE else None,
                "channel": p.channel,
                "at": _iso(p.created_at) if as_text else p.created_at,
                "entered_by": _name(p.entered_by) if p.entered_by_id else None,
                "sheet": p.paper_sheet or None,
            }
        )
    rows.sort(key=lambda row: row["at"])
    return rows


def participants_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    # Headings in the committee's language (the JSON export keeps the keys); times local.
    columns = {
        "voter": _("voter (resident or flat)"),
        "cast_by": _("cast by"),
        "channel": _("channel"),
        "at": _("time"),
        "entered_by": _("entered by"),
        "sheet": _("paper sheet"),
    }
    writer.writerow(columns.values())
    channels = dict(Channel.choices)
    for row in rows:
        cells = dict(row)
        cells["channel"] = channels.get(row["channel"], row["channel"])
        if row.get("at"):
            cells["at"] = timezone.localtime(parse_datetime(row["at"])).strftime("%Y-%m-%d %H:%M")
        writer.writerow([safe_cell(str(cells[column] or "")) for column in columns])
    return out.getvalue()
