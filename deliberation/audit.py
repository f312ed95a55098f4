"""What the supervision committee (居务监督委员会) reads and exports: per poll the rule, turnout,
tally, seal, verification and ledger; ballots without anyone's identity; and the public archive
as open data.

Nothing here names a voter: ballots are listed by their id, choices, weight and channel, for
open and secret polls alike (who took part is a separate list, for eligibility and turnout).
"""

import csv
import io
import json

from core.spreadsheets import safe_cell
from deliberation.ledger import GENESIS, verify_poll
from deliberation.tally import in_order, rule_in_words, shown_counts


def ledger_export(poll) -> dict:
    entries = list(poll.ledger.order_by("position"))
    return {
        "poll": poll.pk,
        "title": poll.title,
        "secret": poll.secret,
        "sealed_at": poll.sealed_at,
        "head": entries[-1].hash if entries else GENESIS,
        "entries": [
            {
                "position": e.position,
                "previous_hash": e.previous_hash,
                "hash": e.hash,
                "payload": e.payload,
            }
            for e in entries
        ],
    }


def ballots_export(poll) -> list[dict]:
    """Every ballot as the ledger recorded it: no voter, no receipt, no time."""
    labels = {c.pk: c.label for c in poll.choices.all()}
    rows = []
    for entry in poll.ledger.order_by("position"):
        data = json.loads(entry.payload)
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
    return {
        "poll": poll,
        "rule": rule_in_words(poll.rule, choices[0].label if choices else "", poll.quorum_percent),
        "eligible": counts["eligible"]["count"],
        "participants": counts["participants"],
        "turnout": round(counts["turnout"] * 100, 1),
        "choices": counts["choices"],
        "outcome": (poll.result or {}).get("outcome") if poll.sealed_at else None,
        "head": poll.ledger_head,
        "verified": not problems,
        "problem": str(problems[0]) if problems else "",
    }


def poll_export(poll) -> dict:
    """The JSON export of one poll: result, seal, ballots and chain."""
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
