"""Who may do what in the 议事厅: the one place each rule is decided.

Views, the API, admin hooks and services ask here and never call ``has_perm`` or look at a
user's residency themselves. Each function answers *who* may act; *when* (the voting window, a
proposal's stage, a comment's state) stays with the service that does the act, so it can say
which of the two refused. Staff abilities are honestly named model permissions on ``Poll`` and
``StanceComment``, granted to roles in ``home.roles``.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q
from django.utils.translation import gettext as _

from community.models import Household, Relation, Residency, ResidencyStatus
from community.permissions import is_verified_resident
from deliberation.models import Eligibility, Poll, Voters

AnyUser = AbstractBaseUser | AnonymousUser


# Residents ------------------------------------------------------------------------------------
#
# A poll's electorate is its ``voters`` within its ``scope``: residents (one ballot per person),
# households (one ballot per flat, cast by any verified member) or owners (one ballot per flat,
# cast only by a verified member whose confirmed relation to it is owner), over the flats of the
# scope's buildings (and units), or of the whole community when the poll has no scope rows.


def scope_rows(poll: Poll) -> list:
    """The poll's scope rows with their buildings (the prefetched ones when there are)."""
    return sorted(poll.scope.all(), key=lambda row: (row.sort_order or 0, row.pk or 0))


def scope_names(poll: Poll) -> list[str]:
    """Each scope row as residents say it (1号楼, 1号楼2单元); empty for the whole community."""
    return [f"{row.building.name}{row.unit}" for row in scope_rows(poll)]


def scope_in_words(poll: Poll) -> str:
    """The scope in a sentence: 1号楼、3号楼2单元; or the whole community."""
    names = scope_names(poll)
    if not names:
        return _("the whole community")
    return _(", ").join(names)


def scope_filter(poll: Poll, prefix: str = "") -> Q | None:
    """The households of the scope as a filter (``prefix`` for a related lookup, e.g.
    ``"household__"``); None for the whole community."""
    rows = scope_rows(poll)
    if not rows:
        return None
    condition = Q(pk__in=[])
    for row in rows:
        one = Q(**{f"{prefix}building_id": row.building_id})
        if row.unit:
            one &= Q(**{f"{prefix}unit": row.unit})
        condition |= one
    return condition


def households_in_scope(poll: Poll):
    """The flats whose ballots ``poll`` counts (every flat for the whole community)."""
    condition = scope_filter(poll)
    households = Household.objects.all()
    return households if condition is None else households.filter(condition)


def in_scope(poll: Poll, household: Household) -> bool:
    """Whether ``household`` is one of the flats ``poll`` is about."""
    rows = scope_rows(poll)
    return not rows or any(
        household.building_id == row.building_id and (not row.unit or household.unit == row.unit)
        for row in rows
    )


def _verified_residencies(user: AnyUser) -> list[Residency]:
    if not user.is_authenticated:
        return []
    return list(
        Residency.objects.filter(user=user, status=ResidencyStatus.VERIFIED)
        .select_related("household__building")
        .order_by("pk")
    )


def voting_households(user: AnyUser, poll: Poll | None = None) -> list[Household]:
    """The flats ``user`` may cast a ballot for in ``poll``: those a moderator has verified them
    as living in, within the poll's scope, and — in an owners' poll — only those they own.
    Without a poll: every flat they are verified in (none for a visitor)."""
    residencies = _verified_residencies(user)
    if poll is None:
        return [residency.household for residency in residencies]
    return [
        residency.household
        for residency in residencies
        if in_scope(poll, residency.household)
        and (poll.voters != Voters.OWNERS or residency.relation == Relation.OWNER)
    ]


def vote_refusal(user: AnyUser, poll: Poll) -> tuple[str, int] | None:
    """Why ``user`` may not vote in ``poll`` (a message and the HTTP status), or None when they
    may. The voting window is the service's to check."""
    if not user.is_authenticated or not user.is_active:
        return _("Please sign in to vote."), 401
    if poll.voters == Voters.RESIDENTS:
        scoped = bool(scope_rows(poll))
        if poll.eligibility == Eligibility.SIGNED_IN and not scoped:
            return None
        residencies = _verified_residencies(user)
        if not residencies:
            return _("Only verified residents can vote in this poll."), 403
        if not any(in_scope(poll, r.household) for r in residencies):
            return _scope_refusal(poll), 403
        return None
    residencies = _verified_residencies(user)
    if not residencies:
        return _("Only residents of a verified household can vote in this poll."), 403
    in_reach = [r for r in residencies if in_scope(poll, r.household)]
    if not in_reach:
        return _scope_refusal(poll), 403
    if poll.voters == Voters.OWNERS and not any(r.relation == Relation.OWNER for r in in_reach):
        return _("Only owners take part in this vote."), 403
    return None


def _scope_refusal(poll: Poll) -> str:
    if poll.voters == Voters.OWNERS:
        return _("Only owners in %(scope)s take part in this vote.") % {
            "scope": scope_in_words(poll)
        }
    return _("Only residents of %(scope)s take part in this vote.") % {
        "scope": scope_in_words(poll)
    }


def can_vote(user: AnyUser, poll: Poll) -> bool:
    """Whether ``user`` is entitled to vote in ``poll`` at all (the window is checked apart)."""
    return vote_refusal(user, poll) is None


def can_vote_for(user: AnyUser, household: Household, poll: Poll | None = None) -> bool:
    """Whether ``user`` may cast the ballot of ``household`` (in ``poll``): only for a flat they
    live in, within the poll's scope, and in an owners' poll only for one they own."""
    return household in voting_households(user, poll)


def resident_in_scope(user: AnyUser, poll: Poll) -> bool:
    """Whether ``user`` is verified as living in one of the flats of ``poll``'s scope (always,
    for the whole community): for a paper ballot entered for a person."""
    if not scope_rows(poll):
        return True
    return any(in_scope(poll, r.household) for r in _verified_residencies(user))


def can_see_choice_counts(user: AnyUser, poll: Poll) -> bool:
    """Counts of a secret ballot stay hidden until the poll is sealed; open ones show live."""
    return poll.sealed_at is not None or not poll.secret


def can_rate(user: AnyUser) -> bool:
    """Verified residents say how satisfied they are with an implemented proposal."""
    return is_verified_resident(user)


def can_suggest_topic(user: AnyUser) -> bool:
    """Anyone signed in may suggest a topic; staff read every suggestion anyway."""
    return user.is_authenticated


def can_comment(user: AnyUser) -> bool:
    """Verified residents discuss proposals; community workers who moderate may answer them.
    The same people may report a comment to the moderators."""
    if not user.is_authenticated or not user.is_active:
        return False
    return is_verified_resident(user) or can_moderate_comments(user)


# Staff ----------------------------------------------------------------------------------------


def can_moderate_comments(user: AnyUser) -> bool:
    """Moderators approve held comments, hide them with a published reason, restore them."""
    return user.is_authenticated and user.has_perm("deliberation.moderate_stancecomment")


def can_seal(user: AnyUser) -> bool:
    """Moderators may seal a poll before its announced close (closed polls seal on their own)."""
    return user.is_authenticated and user.has_perm("deliberation.seal_poll")


def can_enter_paper_ballot(user: AnyUser) -> bool:
    """Moderators enter the ballots of a meeting or a ballot box, sheet by sheet."""
    return user.is_authenticated and user.has_perm("deliberation.enter_paper_ballot")


def can_audit(user: AnyUser) -> bool:
    """The supervision committee (居务监督委员会) reads every poll's ledger, tally and exports,
    the moderation log and the register's verification decisions; it changes nothing."""
    return user.is_authenticated and user.has_perm("deliberation.audit_poll")
