"""Every change to the register: buildings by any spelling, claims on flats and their
verification. Views, the admin and the importer call these; refusals are ``Refused`` with a
Chinese message."""

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone
from django.utils.translation import gettext as _

from community.models import Building, Household, Relation, Residency, ResidencyStatus
from community.names import building_key
from community.permissions import can_claim_household, can_verify_residents
from core.exceptions import Refused


class ResidencyRefused(Refused):
    """A claim or decision on a claim that cannot be made."""


def building_named(name: str) -> Building:
    """The building of that name in any of its spellings (3栋, 3号楼, 三号楼), created with this
    spelling if the register has none yet."""
    name = name.strip()
    building = Building.objects.filter(key=building_key(name)).first()
    if building is None:
        building = Building(name=name)
        building.save()
    return building


def claim_household(
    user: AbstractBaseUser, household: Household, relation: str = Relation.FAMILY
) -> Residency:
    """``user`` says they live in ``household`` as owner, family member or tenant; a moderator
    decides later."""
    if not can_claim_household(user):
        raise ResidencyRefused(_("Please sign in first."), 403)
    residency, created = Residency.objects.get_or_create(
        user=user, household=household, defaults={"relation": relation}
    )
    if not created:
        raise ResidencyRefused(_("You have already claimed this household."), 409)
    return residency


def decide_residency(residency: Residency, moderator: AbstractBaseUser, verify: bool) -> Residency:
    """Verify or reject a claim, recording who decided and when."""
    if not can_verify_residents(moderator):
        raise ResidencyRefused(_("Only moderators can verify residents."), 403)
    residency.status = ResidencyStatus.VERIFIED if verify else ResidencyStatus.REJECTED
    residency.decided_by = moderator
    residency.decided_at = timezone.now()
    residency.save(update_fields=["status", "decided_by", "decided_at"])
    return residency
