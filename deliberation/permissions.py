"""Who may do what in the 议事厅: the one place each rule is decided."""

from django.contrib.auth.models import AbstractUser

from community.permissions import is_verified_resident, verified_households
from deliberation.models import Eligibility, Poll, VotingUnit


def can_vote(user: AbstractUser, poll: Poll) -> bool:
    """Whether ``user`` is entitled to vote in ``poll`` at all (the window is checked apart)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if poll.unit == VotingUnit.HOUSEHOLD:
        return bool(verified_households(user))
    if poll.eligibility == Eligibility.VERIFIED_RESIDENTS:
        return is_verified_resident(user)
    return True


def can_see_choice_counts(user: AbstractUser, poll: Poll) -> bool:
    """Counts of a secret ballot stay hidden until the poll is sealed; open ones show live."""
    return poll.sealed_at is not None or not poll.secret


def can_moderate_comments(user: AbstractUser) -> bool:
    return user.is_authenticated and user.has_perm("deliberation.moderate_stancecomment")


def can_comment(user: AbstractUser) -> bool:
    """Verified residents discuss proposals; community workers who moderate may answer them."""
    if not user.is_authenticated or not user.is_active:
        return False
    return is_verified_resident(user) or can_moderate_comments(user)
