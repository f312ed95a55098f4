"""Reads of the 议事厅 that matter beyond one QuerySet method, each written once for every
caller: the proposal page and the JSON API read a voter's own ballot and a receipt through the
same function, so both always show the same — and never more than the ballot's secrecy allows.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q

from community.models import Relation, Residency
from community.permissions import is_verified_resident
from deliberation.models import (
    Ballot,
    BallotChoice,
    LedgerEntry,
    Participation,
    Poll,
    ProposalPage,
    Voters,
    VotingUnit,
)
from deliberation.permissions import voting_households
from deliberation.services.ballots import normalise_receipt, participation_receipt, receipt_for
from search.models import Kind

AnyUser = AbstractBaseUser | AnonymousUser


def _my_unit_keys(user: AnyUser, households=None) -> list[str]:
    """The voting units ``user`` speaks for: themselves, and every flat they are verified in."""
    households = voting_households(user) if households is None else households
    return [f"person:{user.pk}", *(f"household:{h.pk}" for h in households)]


def my_participation(poll: Poll, user: AnyUser) -> dict | None:
    """What ``user`` may see of their own ballot (or their flat's): when, how and its receipt —
    for a secret ballot too, derived again from the participation — and, for an open poll only,
    the choices. Never a secret ballot's choice."""
    keys = [f"person:{user.pk}"]
    if poll.unit == VotingUnit.HOUSEHOLD:
        # The flats the visitor speaks for in this poll: in an owners' poll only those they own.
        keys = [f"household:{h.pk}" for h in voting_households(user, poll)]
    participation = (
        poll.participations.filter(voter_key__in=keys).select_related("household__building").first()
    )
    if participation is None:
        return None
    mine = {
        "recorded_at": participation.created_at,
        "household": participation.household.label if participation.household else None,
        "channel": participation.channel,
    }
    receipt = participation_receipt(participation, poll)
    if receipt:
        mine["receipt"] = receipt
    if not poll.secret:
        ballot = Ballot.objects.filter(participation=participation).first()
        if ballot is not None:
            mine["choices"] = sorted(ballot.picks.values_list("choice_id", flat=True))
    return mine


def my_ballots(user: AbstractBaseUser) -> list[dict]:
    """Every ballot of ``user``'s voting units, newest first, for "我的投票" and the API: their
    own ballots in polls of residents, and their flats' ballots in polls of households and
    owners (``cast_by_me`` says whether they cast it themselves; who else did is not said). Each
    with its poll, receipt, time and channel; the proposal when it is published; the choices
    for an open poll only — never a secret ballot's."""
    keys = _my_unit_keys(user)
    owned = {
        residency.household_id
        for residency in Residency.objects.verified().filter(user=user, relation=Relation.OWNER)
    }
    participations = [
        participation
        for participation in Participation.objects.filter(Q(voter_key__in=keys) | Q(user=user))
        .select_related("poll", "household__building")
        .order_by("-created_at", "-pk")
        # An owners' ballot is its owners' to see (and whoever cast it), not a tenant's.
        if participation.user_id == user.pk
        or participation.poll.voters != Voters.OWNERS
        or participation.household_id in owned
    ]
    proposals = {
        page.pk: page
        for page in ProposalPage.objects.live()
        .public()
        .filter(pk__in={p.poll.proposal_id for p in participations if p.poll.proposal_id})
    }
    open_ids = [p.pk for p in participations if not p.poll.secret]
    stored: dict[int, str] = {}
    picks: dict[int, list[str]] = {}
    if open_ids:
        for participation_id, receipt in Ballot.objects.filter(
            participation_id__in=open_ids
        ).values_list("participation_id", "receipt"):
            stored[participation_id] = receipt
        for participation_id, label in (
            BallotChoice.objects.filter(ballot__participation_id__in=open_ids)
            .order_by("choice__sort_order", "choice_id")
            .values_list("ballot__participation_id", "choice__label")
        ):
            picks.setdefault(participation_id, []).append(label)
    ballots = []
    for participation in participations:
        poll = participation.poll
        if participation.receipt_nonce:
            receipt = receipt_for(participation)
        else:
            receipt = "" if poll.secret else stored.get(participation.pk, "")
        ballots.append(
            {
                "poll": poll.pk,
                "poll_title": poll.title,
                "proposal": proposals.get(poll.proposal_id),
                "secret": poll.secret,
                "receipt": receipt,
                "cast_at": participation.created_at,
                "channel": participation.channel,
                "household": participation.household.label if participation.household else None,
                "cast_by_me": participation.user_id == user.pk,
                "choices": None if poll.secret else picks.get(participation.pk, []),
            }
        )
    return ballots


def receipt_facts(code: str, request=None) -> dict | None:
    """What a receipt shows, however it was typed (API and page alike): the poll, when, how, and
    its place in the ledger — never the choice, whether the ballot is secret or not. None when no
    ballot has this receipt. A poll the visitor may not see (``Poll.objects.visible_to``) is not
    named: the ballot is recorded, its poll is ``None``."""
    ballot = (
        Ballot.objects.select_related("poll", "participation")
        .filter(receipt=normalise_receipt(code))
        .first()
    )
    if ballot is None:
        return None
    entry = LedgerEntry.objects.filter(ballot_id=ballot.pk).first()
    shown = Poll.objects.visible_to(request).filter(pk=ballot.poll_id).exists()
    return {
        "receipt": ballot.receipt,
        "poll": ballot.poll_id if shown else None,
        "poll_title": ballot.poll.title if shown else None,
        "recorded_at": ballot.participation.created_at if ballot.participation else None,
        "channel": ballot.channel,
        # A secret ballot's place in the chain is not given: the sealed ledger publishes each
        # entry's choices, so the place would tell whoever holds the receipt what was chosen —
        # and a receipt that proves a choice can be sold or demanded. It proves the ballot is
        # counted, not how.
        "ledger": (
            {"position": entry.position, "hash": entry.hash}
            if entry and not ballot.poll.secret
            else None
        ),
        "secret": ballot.poll.secret,
    }


def resident_facts(user: AbstractBaseUser) -> dict:
    """Who a signed-in user is to the 议事厅: user name, whether verified, and their (first)
    household as a label — no real name, no room beyond the label."""
    households = voting_households(user)
    return {
        "username": user.username,
        "verified": bool(households) or is_verified_resident(user),
        "household": households[0].label if households else None,
    }


def add_ledger_heads(documents: list) -> None:
    """For an archive listing: each proposal's sealed ledger heads as ``document.seals``, in one
    query for the whole page of documents."""
    proposal_ids = [d.page_id for d in documents if d.kind == Kind.PROPOSAL]
    if not proposal_ids:
        return
    seals: dict[int, list[str]] = {}
    for proposal_id, head in (
        Poll.objects.live()
        .filter(proposal_id__in=proposal_ids, sealed_at__isnull=False)
        .values_list("proposal_id", "ledger_head")
    ):
        seals.setdefault(proposal_id, []).append(head)
    for document in documents:
        document.seals = seals.get(document.page_id, [])
