"""The 议事厅: proposals and their lifecycle, residents and their households."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageManager, PageQuerySet
from wagtail.search import index

from home.blocks import RICH_TEXT_FEATURES, BaseStreamBlock
from home.pagination import paginate


class ProposalStage(models.TextChoices):
    """The lifecycle of a proposal, in order (see DESIGN.md)."""

    COLLECTING = "collecting", _("Collecting")
    DISCUSSING = "discussing", _("Discussing")
    VOTING = "voting", _("Voting")
    PUBLICISED = "publicised", _("Publicised")
    IMPLEMENTING = "implementing", _("Implementing")
    REVIEWED = "reviewed", _("Reviewed")
    ARCHIVED = "archived", _("Archived")

    @classmethod
    def open_stages(cls) -> list[str]:
        """Stages in which residents can still take part (comment or vote)."""
        return [cls.COLLECTING, cls.DISCUSSING, cls.VOTING]


class ProposalPageQuerySet(PageQuerySet):
    def for_listing(self) -> "ProposalPageQuerySet":
        return self.live().public()

    def open_for_participation(self, limit: int | None = None):
        """Proposals residents can still comment on or vote on; voting first."""
        stage_order = models.Case(
            *(
                models.When(stage=stage, then=models.Value(position))
                for position, stage in enumerate(reversed(ProposalStage.open_stages()))
            ),
            default=models.Value(99),
        )
        items = (
            self.for_listing()
            .filter(stage__in=ProposalStage.open_stages())
            .order_by(stage_order, "-first_published_at", "-pk")
        )
        return list(items[:limit]) if limit else items


ProposalPageManager = PageManager.from_queryset(ProposalPageQuerySet)


class DeliberationIndexPage(Page):
    """The 议事厅: open proposals first, then the rest by stage."""

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    subpage_types = ["deliberation.ProposalPage"]
    parent_page_types = ["home.HomePage"]

    class Meta:
        verbose_name = _("deliberation hall")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        proposals = ProposalPage.objects.child_of(self)
        context["open_proposals"] = proposals.open_for_participation()
        closed = (
            proposals.for_listing()
            .exclude(stage__in=ProposalStage.open_stages())
            .order_by("-first_published_at", "-pk")
        )
        context["closed_proposals"] = paginate(request, closed, per_page=20)
        return context


class ProposalPage(Page):
    """A project proposal (项目提案) and where it stands in the lifecycle."""

    stage = models.CharField(
        _("stage"),
        max_length=20,
        choices=ProposalStage.choices,
        default=ProposalStage.COLLECTING,
    )
    summary = models.TextField(
        _("summary"), max_length=300, help_text=_("One or two sentences: what, where, why.")
    )
    background = RichTextField(_("background"), features=RICH_TEXT_FEATURES, blank=True)
    plan = RichTextField(_("plan"), features=RICH_TEXT_FEATURES, blank=True)
    budget = models.DecimalField(
        _("budget (yuan)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    location = models.CharField(_("location"), max_length=120, blank=True)
    proposer = models.CharField(
        _("proposed by"),
        max_length=100,
        blank=True,
        help_text=_("A body or a public name (e.g. 3号楼居民代表), never a phone number."),
    )
    body = StreamField(BaseStreamBlock(), verbose_name=_("more details"), blank=True)

    objects = ProposalPageManager()

    content_panels = [
        *Page.content_panels,
        FieldPanel("stage"),
        FieldPanel("summary"),
        FieldPanel("background"),
        FieldPanel("plan"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("budget"), FieldPanel("location")]),
                FieldPanel("proposer"),
            ],
            heading=_("Budget, place and proposer"),
        ),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("background"),
        index.SearchField("plan"),
        index.SearchField("location"),
        index.FilterField("stage"),
    ]
    parent_page_types = ["deliberation.DeliberationIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")

    @property
    def is_open(self) -> bool:
        return self.stage in ProposalStage.open_stages()


class Household(models.Model):
    """A dwelling (户): building, unit and room, with its registered floor area.

    The floor area weighs owners' votes under the Civil Code; the room number is personal data
    and never appears on a public page.
    """

    building = models.CharField(_("building"), max_length=20, help_text=_("e.g. 3 or 3号楼"))
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

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["building", "unit", "room"]
        constraints = [
            models.UniqueConstraint(
                fields=["building", "unit", "room"], name="household_unique_address"
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The address as staff write it: 3栋-2单元-502."""
        return "-".join(part for part in (self.building, self.unit, self.room) if part)


class ResidencyStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for verification")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")


class ResidencyQuerySet(models.QuerySet):
    def verified(self) -> "ResidencyQuerySet":
        return self.filter(status=ResidencyStatus.VERIFIED)

    def pending(self) -> "ResidencyQuerySet":
        return self.filter(status=ResidencyStatus.PENDING)


class Residency(models.Model):
    """A user's claim to live in a household, and the moderator's decision on it (邻礼通 pattern).

    A user is a verified resident once one of their claims is verified.
    """

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
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ResidencyStatus.choices,
        default=ResidencyStatus.PENDING,
    )
    is_owner = models.BooleanField(_("owner"), default=False)
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
