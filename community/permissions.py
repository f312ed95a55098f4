"""Who may do what with the register: the one place each rule about residents is decided."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from community.models import Household, Residency, ResidencyStatus

AnyUser = AbstractBaseUser | AnonymousUser


def is_verified_resident(user: AnyUser) -> bool:
    """Whether a moderator has verified at least one of ``user``'s household claims."""
    return user.is_authenticated and user.is_verified_resident


def verified_households(user: AnyUser) -> list[Household]:
    """The households a moderator has verified ``user`` as living in."""
    if not user.is_authenticated:
        return []
    return [
        residency.household
        for residency in Residency.objects.filter(user=user, status=ResidencyStatus.VERIFIED)
        .select_related("household__building")
        .order_by("pk")
    ]


def can_claim_household(user: AnyUser) -> bool:
    return user.is_authenticated and user.is_active


def can_verify_residents(user: AnyUser) -> bool:
    """Moderators verify or reject residents' claims on flats."""
    return user.is_authenticated and user.has_perm("community.verify_residency")
