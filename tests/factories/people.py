"""Accounts: residents, newcomers and staff of each role (the groups the roles set-up made)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

import factory
from factory.django import DjangoModelFactory

from home.roles import AUDITORS, EDITORS, GRID_WORKERS, MODERATORS, RESIDENTS

__all__ = [
    "PASSWORD",
    "AuditorFactory",
    "EditorFactory",
    "GridWorkerFactory",
    "ModeratorFactory",
    "NewcomerFactory",
    "ResidentFactory",
    "SuperuserFactory",
    "UserFactory",
]

PASSWORD = "a-test-password-1"


class UserFactory(DjangoModelFactory):
    """A signed-up account with no claim on any flat and no role."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n + 1}")
    display_name = factory.Sequence(lambda n: f"邻居{n + 1}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*Group.objects.filter(name__in=extracted))
        if create:
            self.save()


class NewcomerFactory(UserFactory):
    """Signed up, with a claim on a flat waiting for a moderator."""

    username = factory.Sequence(lambda n: f"newcomer{n + 1}")

    @factory.post_generation
    def claim(self, create, extracted, **kwargs):
        from community.models import ResidencyStatus
        from tests.factories.register import ResidencyFactory

        if create and extracted is not False:
            ResidencyFactory(user=self, status=ResidencyStatus.PENDING, decided_at=None, **kwargs)


class ResidentFactory(UserFactory):
    """A verified resident (居民): a verified claim on a flat, as its owner (业主) unless
    ``relation=`` (or ``residency__relation=``) says otherwise — or ``tenant=True``,
    ``family=True``;
    ``residency__household=`` puts them in a given flat. Only owners vote in owners' polls."""

    class Params:
        relation = "owner"
        tenant = factory.Trait(relation="tenant")
        family = factory.Trait(relation="family")

    username = factory.Sequence(lambda n: f"resident{n + 1}")
    residency = factory.RelatedFactory(
        "tests.factories.register.ResidencyFactory",
        factory_related_name="user",
        relation=factory.SelfAttribute("..relation"),
    )

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create:
            self.groups.add(*Group.objects.filter(name__in=extracted or [RESIDENTS]))
            self.save()


def _staff(role: str, prefix: str):
    class StaffFactory(UserFactory):
        username = factory.Sequence(lambda n: f"{prefix}{n + 1}")
        display_name = factory.Sequence(lambda n: f"{role}{n + 1}")

        @factory.post_generation
        def groups(self, create, extracted, **kwargs):
            if create:
                self.groups.add(*Group.objects.filter(name__in=extracted or [role]))
                self.save()

    StaffFactory.__name__ = f"{prefix.title()}Factory"
    return StaffFactory


EditorFactory = _staff(EDITORS, "editor")
ModeratorFactory = _staff(MODERATORS, "moderator")
AuditorFactory = _staff(AUDITORS, "auditor")
GridWorkerFactory = _staff(GRID_WORKERS, "gridworker")


class SuperuserFactory(UserFactory):
    username = factory.Sequence(lambda n: f"admin{n + 1}")
    is_staff = True
    is_superuser = True
