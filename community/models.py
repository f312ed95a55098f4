"""The register of the community: grids, buildings, flats and who lives in them.

Personal data lives here (who lives in which room, and how): the room number and a resident's
relation to a flat are shown only to staff who verify residents, never on a public page.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from community.names import building_key


class Grid(models.Model):
    """A 网格: the buildings one or more grid workers (网格员) look after."""

    name = models.CharField(_("name"), max_length=40, unique=True, help_text=_("e.g. 第一网格"))
    workers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("grid workers"),
        blank=True,
        related_name="grids",
        help_text=_("The grid workers (网格员) responsible for this grid."),
    )

    class Meta:
        verbose_name = _("grid")
        verbose_name_plural = _("grids")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Building(models.Model):
    """A building of the community, by the name residents use for it (3号楼)."""

    name = models.CharField(
        _("name"), max_length=20, help_text=_("As residents say it, e.g. 3号楼 or 3栋.")
    )
    key = models.CharField(
        _("key"),
        max_length=20,
        unique=True,
        editable=False,
        help_text=_("The same for every spelling of the name (3栋, 3号楼, 三号楼)."),
    )
    sort_order = models.PositiveIntegerField(
        _("sort order"), default=0, help_text=_("Buildings are listed by this, then by name.")
    )
    grid = models.ForeignKey(
        Grid,
        verbose_name=_("grid"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="buildings",
    )

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name = self.name.strip()
        self.key = building_key(self.name)
        super().save(*args, **kwargs)


class Household(models.Model):
    """A dwelling (户): building, unit and room, with its registered floor area.

    The floor area weighs owners' votes under the Civil Code; the room number is personal data
    and never appears on a public page.
    """

    building = models.ForeignKey(
        Building, verbose_name=_("building"), on_delete=models.PROTECT, related_name="households"
    )
    unit = models.CharField(_("unit"), max_length=20, blank=True, help_text=_("e.g. 2单元"))
    room = models.CharField(_("room"), max_length=20, help_text=_("e.g. 502"))
    floor_area = models.DecimalField(
        _("floor area (m²)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("The registered exclusive floor area, for owners' decisions."),
    )
    owner_ref = models.CharField(
        _("owner reference"),
        max_length=64,
        blank=True,
        help_text=_(
            "Units with the same reference belong to one owner and count once by headcount "
            "(e.g. the register's owner number; “developer” for all unsold units). "
            "Empty: this unit's owner owns nothing else here."
        ),
    )

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["building__sort_order", "building__name", "unit", "room"]
        constraints = [
            models.UniqueConstraint(
                fields=["building", "unit", "room"], name="household_unique_address"
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def owner_key(self) -> str:
        """Who owns this unit, for counting owners once (Civil Code headcount)."""
        return f"owner:{self.owner_ref}" if self.owner_ref else f"unit:{self.pk}"

    @property
    def label(self) -> str:
        """The address as staff write it: 3栋-2单元-502."""
        return "-".join(part for part in (self.building.name, self.unit, self.room) if part)


class ResidencyStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for verification")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")


class Relation(models.TextChoices):
    """How a resident lives in a flat. Only owners (业主) count in owners' decisions."""

    OWNER = "owner", _("Owner")
    FAMILY = "family", _("Family member")
    TENANT = "tenant", _("Tenant")


class ResidencyQuerySet(models.QuerySet):
    def verified(self) -> "ResidencyQuerySet":
        return self.filter(status=ResidencyStatus.VERIFIED)

    def pending(self) -> "ResidencyQuerySet":
        return self.filter(status=ResidencyStatus.PENDING)


class Residency(models.Model):
    """A user's claim to live in a household, with their relation to it, and the moderator's
    decision on it (邻礼通 pattern). A user is a verified resident once one of their claims is
    verified."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="residencies",
    )
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="residencies",
    )
    relation = models.CharField(
        _("relation"),
        max_length=10,
        choices=Relation.choices,
        default=Relation.FAMILY,
        help_text=_("Owner, family member or tenant, as the resident stated and staff confirmed."),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ResidencyStatus.choices,
        default=ResidencyStatus.PENDING,
    )
    claimed_at = models.DateTimeField(_("claimed"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    objects = ResidencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("residency")
        verbose_name_plural = _("residencies")
        permissions = [("verify_residency", _("Can verify or reject residents' claims"))]
        constraints = [
            models.UniqueConstraint(fields=["user", "household"], name="residency_unique_claim")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.household}"

    @property
    def is_owner(self) -> bool:
        return self.relation == Relation.OWNER
