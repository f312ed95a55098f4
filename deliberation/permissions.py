"""Who may do what in the 议事厅: the one place each rule is decided."""

from deliberation.models import Eligibility, Household, Poll, Residency, ResidencyStatus, VotingUnit
from home.models import User


def verified_households(user: User) -> list[Household]:
    """The households a moderator has verified ``user`` as living in."""
    if not user.is_authenticated:
        return []
    return [
        residency.household
        for residency in Residency.objects.filter(user=user, status=ResidencyStatus.VERIFIED)
        .select_related("household")
        .order_by("pk")
    ]


def can_vote(user: User, poll: Poll) -> bool:
    """Whether ``user`` is entitled to vote in ``poll`` at all (the window is checked apart)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if poll.unit == VotingUnit.HOUSEHOLD:
        return bool(verified_households(user))
    if poll.eligibility == Eligibility.VERIFIED_RESIDENTS:
        return user.is_verified_resident
    return True


def can_see_choice_counts(user: User, poll: Poll) -> bool:
    """Counts of a secret ballot stay hidden until the poll is sealed; open ones show live."""
    return poll.sealed_at is not None or not poll.secret


def can_moderate_comments(user: User) -> bool:
    return user.is_authenticated and user.has_perm("deliberation.moderate_stancecomment")


def can_comment(user: User) -> bool:
    """Verified residents discuss proposals; community workers who moderate may answer them."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_verified_resident or can_moderate_comments(user)
