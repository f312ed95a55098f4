"""Counting a poll's ballots and deciding it under its rule.

``decide`` is pure (ballots and eligible voters in, result out) so every rule and edge case is
tested without a database; ``tally_poll`` gathers the inputs for a stored poll in a few
aggregate queries. Shares are exact fractions, so "at least two thirds" at exactly two thirds
passes and "more than half" at exactly half does not. The sealed result and the live counts
shown while voting runs come in one shape, ``Counts.as_dict``.

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
from django.utils.translation import gettext_lazy

from deliberation.models import Channel, Rule


class Outcome(models.TextChoices):
    """What a motion's sealed result says under its rule (stored in ``Poll.result``)."""

    PASSED = "passed", gettext_lazy("Passed")
    REJECTED = "rejected", gettext_lazy("Not passed")
    QUORUM_NOT_MET = "quorum_not_met", gettext_lazy("Not enough people took part")


# The outcomes by their short names, as the tests and scripts read them.
PASSED, REJECTED, QUORUM_NOT_MET = Outcome.PASSED, Outcome.REJECTED, Outcome.QUORUM_NOT_MET

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

    def as_dict(self) -> dict:
        """JSON-safe, for storing on the sealed poll and for pages, the API and exports."""

        def number(value):
            return float(value) if isinstance(value, Decimal | Fraction) else value

        return {
            "outcome": self.outcome,
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
) -> Counts:
    """Count ``ballots`` and decide the motion (the first choice) under ``rule``."""
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
    )
    if not choices or not ballots:
        result.outcome = (
            Outcome.QUORUM_NOT_MET
            if rule in Rule.civil_code() | {Rule.QUORUM_MAJORITY}
            else Outcome.REJECTED
        )
        return result
    motion = result.choices[0]
    threshold, strictly = THRESHOLDS[rule]

    if rule in Rule.civil_code():
        participation_ok = (
            share(total_weight, electorate.area) >= CIVIL_CODE_PARTICIPATION
            and share(result.owners, electorate.owners) >= CIVIL_CODE_PARTICIPATION
        )
        if not participation_ok:
            result.outcome = Outcome.QUORUM_NOT_MET
            return result
        passed = meets(share(motion.weight, total_weight), threshold, strictly) and meets(
            share(motion.owners, result.owners), threshold, strictly
        )
    else:
        if rule == Rule.QUORUM_MAJORITY and share(len(ballots), electorate.count) < Fraction(
            quorum_percent, 100
        ):
            result.outcome = Outcome.QUORUM_NOT_MET
            return result
        passed = meets(share(motion.weight, total_weight), threshold, strictly)
    result.outcome = Outcome.PASSED if passed else Outcome.REJECTED
    return result


def rule_in_words(rule: str, motion: str, quorum_percent: int = 50) -> str:
    """The rule as a resident reads it on the proposal page."""
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
    from deliberation.models import Eligibility, VotingUnit
    from deliberation.permissions import scope_in_words, scope_rows

    electorate = electorate or electorate_of(poll)
    scope = scope_in_words(poll)
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
    return decide(poll.rule, choices, ballots, electorate_for(poll), poll.quorum_percent)


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
        counts[poll.pk] = Counts(
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
        ).as_dict()
    return counts


def shown_counts(poll) -> dict:
    """What residents see: the sealed result once there is one, the live counts until then."""
    return poll.result if poll.sealed_at else live_counts(poll)
