"""The register: grids, buildings, flats and residents' claims on them."""

from decimal import Decimal

from django.utils import timezone

import factory
from factory.django import DjangoModelFactory

from community.models import Building, Grid, Household, Relation, Residency, ResidencyStatus

__all__ = ["BuildingFactory", "GridFactory", "HouseholdFactory", "ResidencyFactory"]


class GridFactory(DjangoModelFactory):
    class Meta:
        model = Grid
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"第{n + 1}网格")


class BuildingFactory(DjangoModelFactory):
    class Meta:
        model = Building
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"{n + 1}号楼")


class HouseholdFactory(DjangoModelFactory):
    """A flat; ``building`` may be a Building or a name (“3号楼”)."""

    class Meta:
        model = Household

    building = factory.SubFactory(BuildingFactory)
    unit = "1单元"
    room = factory.Sequence(lambda n: f"{n // 10 + 1}{n % 10 + 1:02d}")
    floor_area = Decimal("80.00")
    owner_ref = ""

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        if isinstance(kwargs.get("building"), str):
            kwargs["building"] = BuildingFactory(name=kwargs["building"])
        return super()._create(model_class, *args, **kwargs)


class ResidencyFactory(DjangoModelFactory):
    """A claim on a flat; verified unless told otherwise."""

    class Meta:
        model = Residency

    user = factory.SubFactory("tests.factories.people.UserFactory")
    household = factory.SubFactory(HouseholdFactory)
    relation = Relation.OWNER
    status = ResidencyStatus.VERIFIED
    decided_at = factory.LazyFunction(timezone.now)
