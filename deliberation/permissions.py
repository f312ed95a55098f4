"""Who may do what in the 议事厅: the one place each rule is decided.

Views, the API, admin hooks and services ask here and never call ``has_perm`` or look at a
user's residency themselves. Each function answers *who* may act; *when* (the voting window, a
proposal's stage, a comment's state) stays with the service that does the act, so it can say
which of the two refused. Staff abilities are honestly named model permissions on ``Poll`` and
``StanceComment``, granted to roles in ``home.roles``.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from community.models import Household
from community.permissions import is_verified_resident, verified_households
from deliberation.models import Eligibility, Poll, VotingUnit

AnyUser = AbstractBaseUser | AnonymousUser


# Residents ------------------------------------------------------------------------------------


def voting_households(user: AnyUser) -> list[Household]:
    """The flats ``user`` may cast a household's ballot for: those a moderator has verified
    them as living in (none for a visitor)."""
    return verified_households(user)


def can_vote(user: AnyUser, poll: Poll) -> bool:
    """Whether ``user`` is entitled to vote in ``poll`` at all (the window is checked apart)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if poll.unit == VotingUnit.HOUSEHOLD:
        return bool(voting_households(user))
    if poll.eligibility == Eligibility.VERIFIED_RESIDENTS:
        return is_verified_resident(user)
    return True


def can_vote_for(user: AnyUser, household: Household) -> bool:
    """Whether ``user`` may cast the ballot of ``household``: only for a flat they live in."""
    return household in voting_households(user)


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
