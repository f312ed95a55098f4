"""Counting a poll's ballots and deciding it under its rule.

``decide`` is pure (ballots and eligible voters in, result out) so every rule and edge case is
tested without a database; ``tally_poll`` gathers the inputs for a stored poll in a few
aggregate queries. Shares are exact fractions, so "at least two thirds" at exactly two thirds
passes and "more than half" at exactly half does not. The sealed result and the live counts
shown while voting runs come in one shape, ``Counts.as_dict``.

A poll is one of three kinds (``PollKind``): a *motion* (the first choice is the approval: the
rule decides whether it passed; abstentions take part but do not agree), a *choice* (the option
with the most ballots — or floor area, when weighted — is chosen; a tie at the top is a tie,
never "not passed"; ``Rule.MOST_VOTES_QUORUM`` first asks for a turnout quorum) and an
*approval* poll (each ballot picks up to ``max_choices``; options are ranked the same way).

Civil Code art. 278 (as DESIGN.md states it): owners holding at least 2/3 of the exclusive floor
area and at least 2/3 of the owners by headcount must take part; items 6–8 then need at least
3/4 of the participating area and of the participating owners, other matters more than 1/2 of
each. One unit counts as one owner; an owner of several units counts once (their headcount goes
with the ballot of their largest unit); unsold developer units share one owner reference.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from deliberation.models import Channel, PollKind, Rule


class Outcome(models.TextChoices):
    """What a sealed result says (stored in ``Poll.result``): a motion passes or not, a choice
    or approval poll chooses an option or ends in a tie; either may lack its quorum. A choice is
    never "rejected"."""

    PASSED = "passed", gettext_lazy("Passed")
    REJECTED = "rejected", gettext_lazy("Not passed")
    QUORUM_NOT_MET = "quorum_not_met", gettext_lazy("Not enough people took part")
    CHOSEN = "chosen", gettext_lazy("Chosen")
    TIE = "tie", gettext_lazy("Tied: none chosen")
    NONE_CHOSEN = "none_chosen", gettext_lazy("Nobody voted: none chosen")


# The outcomes by their short names, as the tests and scripts read them.
PASSED, REJECTED, QUORUM_NOT_MET = Outcome.PASSED, Outcome.REJECTED, Outcome.QUORUM_NOT_MET
CHOSEN, TIE = Outcome.CHOSEN, Outcome.TIE

THRESHOLDS: dict[str, tuple[Fraction, bool]] = {
    # rule: (threshold, strictly more than it?)
    Rule.SIMPLE_MAJORITY: (Fraction(1, 2), True),
    Rule.TWO_THIRDS: (Fraction(2, 3), False),
    Rule.THREE_QUARTERS: (Fraction(3, 4), False),
    Rule.QUORUM_MAJORITY: (Fraction(1, 2), True),
    Rule.CIVIL_CODE_ORDINARY: (Fraction(1, 2), True),
    Rule.CIVIL_CODE_MAJOR: (Fraction(3, 4), False),
}
CIVIL_CODE_PARTICIPATION = Fraction(2, 3)
THRESHOLD_NAMES = {Fraction(1, 2): "1/2", Fraction(2, 3): "2/3", Fraction(3, 4): "3/4"}


@dataclass(frozen=True)
class CountedBallot:
    choice_ids: tuple[int, ...]
    weight: Decimal = Decimal(1)
    owner_key: str = ""
    channel: str = Channel.ONLINE


@dataclass(frozen=True)
class Electorate:
    """Who could have voted: units (people or households), their floor area and their owners."""

    count: int
    area: Decimal = Decimal(0)
    owners: int = 0


@dataclass
class ChoiceCount:
    """One choice's ballots, their weight (floor area) and owners by headcount. ``owners`` is
    None in live counts: an owner counts once, with the ballot of their largest unit, which only
    the full count at sealing settles."""

    id: int
    label: str
    count: int = 0
    weight: Decimal = Decimal(0)
    owners: int | None = 0


@dataclass(frozen=True)
class Seal:
    """The ledger as it was sealed: its head hash and number of entries."""

    head: str
    entries: int


@dataclass
class Counts:
    """A poll's counts in the one shape every reader gets — the sealed result (``decide``) and
    the live counts while voting runs (``live_counts``) alike: the same keys from ``as_dict``,
    so a template, the API or an export never has to ask which of the two it holds.

    While voting runs nothing is decided yet: ``outcome`` and ``seal`` are None.
    """

    outcome: Outcome | None
    rule: str
    electorate: Electorate
    ballots: int
    online: int
    paper: int
    weight: Decimal
    owners: int
    choices: list[ChoiceCount] = field(default_factory=list)
    seal: Seal | None = None
    kind: str = PollKind.MOTION
    winner: int | None = None
    ranking: list[int] = field(default_factory=list)
    tied: list[int] = field(default_factory=list)
    tests: list["LegalTest"] | None = None  # the four tests of a Civil Code motion

    def as_dict(self) -> dict:
        """JSON-safe, for storing on the sealed poll and for pages, the API and exports."""

        def number(value):
            return float(value) if isinstance(value, Decimal | Fraction) else value

        data = {
            "outcome": self.outcome,
            "kind": self.kind,
            "winner": self.winner,
            "ranking": list(self.ranking),
            "tied": list(self.tied),
            "rule": self.rule,
            "eligible": {
                "count": self.electorate.count,
                "area": number(self.electorate.area),
                "owners": self.electorate.owners,
            },
            "participants": {
                "count": self.ballots,
                "online": self.online,
                "paper": self.paper,
                "area": number(self.weight),
                "owners": self.owners,
            },
            "turnout": number(share(self.ballots, self.electorate.count)),
            "choices": [
                {
                    "id": c.id,
                    "label": c.label,
                    "count": c.count,
                    "weight": number(c.weight),
                    "owners": c.owners,
                    "share": number(share(c.weight, self.weight)),
                }
                for c in self.choices
            ],
            "ledger": (
                {"head": self.seal.head, "entries": self.seal.entries} if self.seal else None
            ),
        }
        if self.tests is not None:
            data["tests"] = [
                {
                    "key": test.key,
                    "part": number(test.part),
                    "whole": number(test.whole),
                    "threshold": THRESHOLD_NAMES[test.threshold],
                    "strictly": test.strictly,
                    "met": test.met,
                }
                for test in self.tests
            ]
        return data


@dataclass(frozen=True)
class LegalTest:
    """One of the Civil Code's four tests: ``part / whole`` against ``threshold`` (strictly more
    than it for 过半数, at least it for …以上). ``part`` is None, and ``met`` with it, while the
    count is live and only the seal can settle it (owners by headcount per choice)."""

    key: str
    part: Decimal | int | None
    whole: Decimal | int
    threshold: Fraction
    strictly: bool

    @property
    def met(self) -> bool | None:
        if self.part is None:
            return None
        return meets(share(self.part, self.whole), self.threshold, self.strictly)


def civil_code_tests(
    rule, motion: ChoiceCount | None, electorate, weight, owners
) -> list[LegalTest]:
    """Participation by owners and by area (2/3 以上 of all), then agreement by owners and by
    area (the rule's share of those who took part)."""
    threshold, strictly = THRESHOLDS[rule]
    return [
        LegalTest(
            "owners_participation", owners, electorate.owners, CIVIL_CODE_PARTICIPATION, False
        ),
        LegalTest("area_participation", weight, electorate.area, CIVIL_CODE_PARTICIPATION, False),
        LegalTest("owners_agreement", motion.owners if motion else 0, owners, threshold, strictly),
        LegalTest(
            "area_agreement", motion.weight if motion else Decimal(0), weight, threshold, strictly
        ),
    ]


def rank(choices: list[ChoiceCount]) -> tuple[list[int], list[int]]:
    """The choices by weight (the number of ballots, or their floor area when weighted), most
    first, ties in the editor's order; and the ids tied at the top, if more than one is."""
    ordered = sorted(choices, key=lambda c: -c.weight)  # stable: ties keep the editor's order
    top = [c.id for c in ordered if ordered and c.weight == ordered[0].weight and c.weight > 0]
    return [c.id for c in ordered], top if len(top) > 1 else []


def share(part, whole) -> Fraction:
    """``part / whole`` exactly; nothing out of nothing is a share of 0."""
    if not whole:
        return Fraction(0)
    return Fraction(Decimal(part)) / Fraction(Decimal(whole))


def meets(value: Fraction, threshold: Fraction, strictly: bool) -> bool:
    return value > threshold if strictly else value >= threshold


def decide(
    rule: str,
    choices: list[tuple[int, str]],
    ballots: list[CountedBallot],
    electorate: Electorate,
    quorum_percent: int = 50,
    kind: str = PollKind.MOTION,
) -> Counts:
    """Count ``ballots`` and decide under ``rule``: for a motion whether the first choice
    passed, for a choice or approval poll which option has the most ballots (or area)."""
    counts = {choice_id: ChoiceCount(choice_id, label) for choice_id, label in choices}
    total_weight = Decimal(0)
    for ballot in ballots:
        total_weight += ballot.weight
        for choice_id in ballot.choice_ids:
            counts[choice_id].count += 1
            counts[choice_id].weight += ballot.weight

    # Each owner counts once by headcount, with the ballot of their largest unit.
    owner_ballot: dict[str, CountedBallot] = {}
    for ballot in ballots:
        if ballot.owner_key:
            held = owner_ballot.get(ballot.owner_key)
            if held is None or ballot.weight > held.weight:
                owner_ballot[ballot.owner_key] = ballot
    for ballot in owner_ballot.values():
        for choice_id in ballot.choice_ids:
            counts[choice_id].owners += 1

    result = Counts(
        outcome=Outcome.REJECTED,
        rule=rule,
        electorate=electorate,
        ballots=len(ballots),
        online=sum(1 for b in ballots if b.channel == Channel.ONLINE),
        paper=sum(1 for b in ballots if b.channel == Channel.PAPER),
        weight=total_weight,
        owners=len(owner_ballot),
        choices=list(counts.values()),
        kind=kind,
    )
    if kind != PollKind.MOTION:
        return _choose(result, rule, quorum_percent)
    motion = result.choices[0] if result.choices else None
    if rule in Rule.civil_code():
        result.tests = civil_code_tests(rule, motion, electorate, total_weight, result.owners)
    if not choices or not ballots:
        result.outcome = (
            Outcome.QUORUM_NOT_MET
            if rule in Rule.civil_code() | {Rule.QUORUM_MAJORITY}
            else Outcome.REJECTED
        )
        return result
    threshold, strictly = THRESHOLDS[rule]

    if rule in Rule.civil_code():
        participation, agreement = result.tests[:2], result.tests[2:]
        if not all(test.met for test in participation):
            result.outcome = Outcome.QUORUM_NOT_MET
            return result
        passed = all(test.met for test in agreement)
    else:
        if rule == Rule.QUORUM_MAJORITY and not quorum_met(
            len(ballots), electorate, quorum_percent
        ):
            result.outcome = Outcome.QUORUM_NOT_MET
            return result
        passed = meets(share(motion.weight, total_weight), threshold, strictly)
    result.outcome = Outcome.PASSED if passed else Outcome.REJECTED
    return result


def quorum_met(ballots: int, electorate: Electorate, quorum_percent: int) -> bool:
    """At least ``quorum_percent`` of those entitled took part (以上: the number itself counts)."""
    return share(ballots, electorate.count) >= Fraction(quorum_percent, 100)


def _choose(result: Counts, rule: str, quorum_percent: int) -> Counts:
    """A choice or approval poll: rank the options; the top one is chosen unless the turnout
    quorum (``Rule.MOST_VOTES_QUORUM``) is not met, nobody voted, or it is tied."""
    result.ranking, result.tied = rank(result.choices)
    if rule in Rule.with_quorum() and not quorum_met(
        result.ballots, result.electorate, quorum_percent
    ):
        result.outcome = Outcome.QUORUM_NOT_MET
    elif not result.ballots or not any(c.weight for c in result.choices):
        # No quorum was asked for: nothing was chosen because nobody voted, not for want of one.
        result.outcome = Outcome.NONE_CHOSEN
        result.tied = []
    elif result.tied:
        result.outcome = Outcome.TIE
    else:
        result.outcome = Outcome.CHOSEN
        result.winner = result.ranking[0]
    return result


def poll_rule_in_words(poll, choices=None) -> str:
    """``poll``'s rule in words, for every page that states it (``choices``: the poll's choices
    when the caller has them, in any order)."""
    from deliberation.models import Weighting

    labels = [choice.label for choice in sorted(choices or poll.choices.all(), key=in_order)]
    return rule_in_words(
        poll.rule,
        labels if poll.rule in Rule.for_choices() else (labels or [""])[0],
        poll.quorum_percent,
        max_choices=poll.max_choices,
        weighted=poll.weighting == Weighting.FLOOR_AREA,
    )


def rule_in_words(
    rule: str,
    motion,
    quorum_percent: int = 50,
    *,
    max_choices: int = 1,
    weighted: bool = False,
) -> str:
    """The rule as a resident reads it on the proposal page. ``motion`` is the approving
    choice's label for a motion; for a choice or approval poll, the options' labels (or one).
    The wording follows the law: …以上 includes the share itself, 过半数 is strictly more than
    half."""
    if rule in Rule.for_choices():
        return _choice_rule_in_words(rule, motion, quorum_percent, max_choices, weighted)
    texts = {
        Rule.SIMPLE_MAJORITY: _("Passes if more than half of those who vote choose “%(motion)s”."),
        Rule.TWO_THIRDS: _("Passes if at least two thirds of those who vote choose “%(motion)s”."),
        Rule.THREE_QUARTERS: _(
            "Passes if at least three quarters of those who vote choose “%(motion)s”."
        ),
        Rule.QUORUM_MAJORITY: _(
            "Counts only if at least %(quorum)s%% of those entitled vote; then passes if more "
            "than half of those who vote choose “%(motion)s”."
        ),
        Rule.CIVIL_CODE_ORDINARY: _(
            "Civil Code art. 278: owners holding at least two thirds of the floor area and at "
            "least two thirds of all owners must vote; passes if owners holding more than half "
            "of the voting area and more than half of the voting owners choose “%(motion)s”. "
            "One unit is one owner; an owner of several units counts once."
        ),
        Rule.CIVIL_CODE_MAJOR: _(
            "Civil Code art. 278 (maintenance funds, rebuilding, change of use): owners holding "
            "at least two thirds of the floor area and at least two thirds of all owners must "
            "vote; passes if owners holding at least three quarters of the voting area and at "
            "least three quarters of the voting owners choose “%(motion)s”. One unit is one "
            "owner; an owner of several units counts once."
        ),
    }
    return texts[rule] % {"motion": motion, "quorum": quorum_percent}


def _choice_rule_in_words(rule, options, quorum_percent, max_choices, weighted) -> str:
    labels = [options] if isinstance(options, str) else list(options)
    named = pgettext("between items of a list", ", ").join(f"“{label}”" for label in labels)
    parts = []
    if rule == Rule.MOST_VOTES_QUORUM:
        parts.append(
            _("Counts only if at least %(quorum)s%% of those entitled vote.")
            % {"quorum": quorum_percent}
        )
    if max_choices > 1:
        parts.append(
            _("Each ballot may pick up to %(max)s options; the options are ranked.")
            % {"max": max_choices}
        )
    if weighted:
        parts.append(
            _(
                "Of %(options)s, the option whose ballots hold the most floor area is chosen; if "
                "the first places hold as much, none is chosen."
            )
            % {"options": named}
        )
    else:
        parts.append(
            _(
                "Of %(options)s, the option with the most ballots is chosen; if the first places "
                "have as many, none is chosen."
            )
            % {"options": named}
        )
    return "".join(parts)


def outcome_in_words(result: dict | None) -> str:
    """What a sealed result decided, in one phrase — the page, the archive, the API's readers,
    the auditors and the exports all word it so. Copes with results stored before polls had
    kinds (no ``kind``, ``winner`` or ``tied``: a motion). Empty while nothing is decided."""
    if not result or not result.get("outcome"):
        return ""
    outcome = result["outcome"]
    labels = {c["id"]: c["label"] for c in result.get("choices", [])}
    if outcome == Outcome.CHOSEN:
        return _("Chosen: “%(label)s”") % {"label": labels.get(result.get("winner"), "")}
    if outcome == Outcome.TIE:
        tied = pgettext("between items of a list", ", ").join(
            f"“{labels.get(pk, '')}”" for pk in result.get("tied", [])
        )
        return _("Tied at the top (%(tied)s): none chosen") % {"tied": tied}
    if outcome == Outcome.QUORUM_NOT_MET:
        return _("Not enough people took part, so the vote does not count")
    if outcome in Outcome.values:
        return str(Outcome(outcome).label)
    return outcome


def electorate_for(poll) -> Electorate:
    """Everyone who could vote in ``poll``, over its scope, counted as its rule counts them: for
    one ballot per flat (households, owners) the flats, their floor area and their owners (an
    owner of several flats once, every unsold developer flat one owner: ``Household.owner_key``);
    for residents the verified residents living in the scope (or, for a poll of the whole
    community open to anyone signed in, every active account)."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count, Q, Sum

    from community.models import Residency, ResidencyStatus
    from deliberation.models import Eligibility, VotingUnit
    from deliberation.permissions import households_in_scope, scope_filter

    User = get_user_model()

    if poll.unit == VotingUnit.HOUSEHOLD:
        # One query: an owner reference counts once, a flat without one is its own owner.
        counted = households_in_scope(poll).aggregate(
            count=Count("pk"),
            area=Sum("floor_area"),
            referenced=Count("owner_ref", distinct=True, filter=~Q(owner_ref="")),
            unreferenced=Count("pk", filter=Q(owner_ref="")),
        )
        return Electorate(
            count=counted["count"],
            area=counted["area"] or Decimal(0),
            owners=counted["referenced"] + counted["unreferenced"],
        )
    scope = scope_filter(poll, prefix="household__")
    if poll.eligibility == Eligibility.SIGNED_IN and scope is None:
        return Electorate(count=User.objects.filter(is_active=True).count())
    residencies = Residency.objects.filter(status=ResidencyStatus.VERIFIED, user__is_active=True)
    if scope is not None:
        residencies = residencies.filter(scope)
    return Electorate(count=residencies.values("user").distinct().count())


def electorate_of(poll, memo: dict | None = None) -> Electorate:
    """The electorate residents are shown: as counted at sealing once the poll is sealed;
    until then the live count, cached for a minute per poll (the live counts share it).
    ``memo`` (a dict kept for one request) counts polls with the same voters and scope once."""
    from django.core.cache import cache

    from deliberation.permissions import scope_rows

    if poll.sealed_at and poll.result:
        eligible = poll.result["eligible"]
        return Electorate(
            count=eligible["count"],
            area=Decimal(str(eligible.get("area") or 0)),
            owners=eligible.get("owners") or 0,
        )
    key = f"deliberation:electorate:{poll.pk}"
    electorate = cache.get(key)
    if electorate is None:
        same = (
            poll.unit,
            poll.eligibility,
            tuple((row.building_id, row.unit) for row in scope_rows(poll)),
        )
        if memo is not None and same in memo:
            electorate = memo[same]
        else:
            electorate = electorate_for(poll)
            if memo is not None:
                memo[same] = electorate
        cache.set(key, electorate, 60)
    return electorate


def electorate_in_words(poll, electorate: Electorate | None = None) -> str:
    """The electorate in one line, shown before voting: "本次表决范围：1号楼，共36户，业主34人，
    专有部分面积3,210.50㎡" (or the verified residents, for a poll of residents)."""
    from deliberation.models import Eligibility, Voters, VotingUnit, Weighting
    from deliberation.permissions import scope_in_words, scope_rows

    electorate = electorate or electorate_of(poll)
    scope = scope_in_words(poll)
    counts_owners = poll.voters == Voters.OWNERS or poll.weighting == Weighting.FLOOR_AREA
    if poll.unit == VotingUnit.HOUSEHOLD and not counts_owners:
        # One ballot per flat, counted once each: owners and area would only confuse.
        return _("Electorate: %(scope)s, %(units)s flats") % {
            "scope": scope,
            "units": electorate.count,
        }
    if poll.unit == VotingUnit.HOUSEHOLD:
        values = {
            "scope": scope,
            "units": electorate.count,
            "owners": electorate.owners,
            "area": f"{electorate.area:,.2f}",
        }
        if electorate.area:
            return (
                _(
                    "Electorate: %(scope)s, %(units)s flats, %(owners)s owners, "
                    "exclusive floor area %(area)s m²"
                )
                % values
            )
        return _("Electorate: %(scope)s, %(units)s flats, %(owners)s owners") % values
    if poll.eligibility == Eligibility.SIGNED_IN and not scope_rows(poll):
        return _("Electorate: everyone signed in, %(count)s accounts") % {"count": electorate.count}
    return _("Electorate: %(scope)s, %(count)s verified residents") % {
        "scope": scope,
        "count": electorate.count,
    }


def tally_poll(poll) -> Counts:
    """Count a stored poll's ballots (one query for ballots, one for their choices)."""
    from deliberation.models import BallotChoice

    picks: dict = defaultdict(list)
    for ballot_id, choice_id in BallotChoice.objects.filter(ballot__poll=poll).values_list(
        "ballot_id", "choice_id"
    ):
        picks[ballot_id].append(choice_id)
    ballots = [
        CountedBallot(tuple(picks[pk]), weight, owner_key, channel)
        for pk, weight, owner_key, channel in poll.ballots.values_list(
            "pk", "weight", "owner_key", "channel"
        )
    ]
    choices = list(poll.choices.order_by("sort_order", "pk").values_list("pk", "label"))
    return decide(
        poll.rule, choices, ballots, electorate_for(poll), poll.quorum_percent, kind=poll.kind
    )


def in_order(choice) -> tuple:
    """How a poll's choices are listed: as the editor ordered them, then as they were added."""
    return (choice.sort_order or 0, choice.pk)


def live_counts(poll) -> dict:
    """Turnout and counts per choice while voting runs, in two aggregate queries (plus the
    electorate, cached for a minute): cheap enough for every page view, at any size. The
    decision itself is made once, by ``tally_poll`` when the poll is sealed; the shape is the
    sealed result's (``Counts.as_dict``), with no outcome yet."""
    return live_counts_for([poll])[poll.pk]


def live_counts_for(polls, choices: dict | None = None) -> dict[int, dict]:
    """``live_counts`` of several polls, still in two aggregate queries whatever their number.
    ``choices`` maps a poll's id to its choices in their order, when the caller has them."""
    from django.db.models import Count, Q, Sum

    from deliberation.models import Ballot, BallotChoice

    ids = [poll.pk for poll in polls]
    if not ids:
        return {}
    totals = {
        row["poll_id"]: row
        for row in Ballot.objects.filter(poll_id__in=ids)
        .order_by()
        .values("poll_id")
        .annotate(
            count=Count("pk"),
            online=Count("pk", filter=Q(channel=Channel.ONLINE)),
            paper=Count("pk", filter=Q(channel=Channel.PAPER)),
            weight=Sum("weight"),
            # Each owner once, as the sealing count does (secret ballots carry no owner).
            owners=Count("owner_key", distinct=True, filter=~Q(owner_key="")),
        )
    }
    per_choice = {
        choice_id: (count, weight or Decimal(0))
        for choice_id, count, weight in BallotChoice.objects.filter(ballot__poll_id__in=ids)
        .order_by()
        .values_list("choice_id")
        .annotate(count=Count("pk"), weight=Sum("ballot__weight"))
    }
    counts = {}
    for poll in polls:
        electorate = electorate_of(poll)  # cached for a minute
        if choices is None:
            ordered = sorted(poll.choices.all(), key=in_order)
        else:
            ordered = choices[poll.pk]
        total = totals.get(poll.pk, {})
        live = Counts(
            outcome=None,
            rule=poll.rule,
            electorate=electorate,
            ballots=total.get("count", 0),
            online=total.get("online", 0),
            paper=total.get("paper", 0),
            weight=total.get("weight") or Decimal(0),
            owners=total.get("owners", 0),
            choices=[
                ChoiceCount(
                    choice.pk,
                    choice.label,
                    *per_choice.get(choice.pk, (0, Decimal(0))),
                    owners=None,  # settled at sealing: see ChoiceCount
                )
                for choice in ordered
            ],
            kind=poll.kind,
        )
        if poll.kind != PollKind.MOTION:
            live.ranking, live.tied = rank(live.choices)  # nothing chosen until the seal
        elif poll.rule in Rule.civil_code():
            live.tests = civil_code_tests(
                poll.rule, live.choices[0] if live.choices else None, electorate, live.weight,
                live.owners,
            )  # fmt: skip
        counts[poll.pk] = live.as_dict()
    return counts


def tests_of(result: dict) -> list[dict]:
    """A Civil Code motion's four tests from its result (``as_dict``): as stored, or — for a
    result sealed before the tests were stored — worked out again from its counts. Empty for
    every other rule."""
    if "tests" in result:
        return result["tests"]
    rule = result.get("rule")
    if rule not in Rule.civil_code():
        return []

    def exact(value):
        return Decimal(str(value or 0))

    eligible, participants = result["eligible"], result["participants"]
    first = result["choices"][0] if result.get("choices") else None
    motion = (
        ChoiceCount(first["id"], first["label"], first["count"], exact(first["weight"]),
                    first.get("owners"))
        if first else None
    )  # fmt: skip
    electorate = Electorate(eligible["count"], exact(eligible["area"]), eligible["owners"])
    tests = civil_code_tests(
        rule, motion, electorate, exact(participants["area"]), participants["owners"]
    )
    return Counts(None, rule, electorate, 0, 0, 0, Decimal(0), 0, tests=tests).as_dict()["tests"]


def shown_counts(poll) -> dict:
    """What residents see: the sealed result once there is one, the live counts until then."""
    return poll.result if poll.sealed_at else live_counts(poll)
