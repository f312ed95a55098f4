"""The 议事厅: proposals and their lifecycle, residents and their households."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageManager
from wagtail.search import index

from core.blocks import RICH_TEXT_FEATURES
from core.numbers import request_int
from core.pages import RestrictionsMixin, SharingMixin, SitePageQuerySet
from core.pagination import paginate
from deliberation.blocks import BodyBlock
from search.models import Kind


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


class ProposalPageQuerySet(SitePageQuerySet):
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


class DeliberationIndexPage(RestrictionsMixin, Page):
    """The 议事厅: open proposals first, then the rest by stage."""

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    subpage_types = ["deliberation.ProposalPage"]
    parent_page_types = ["home.HomePage"]

    class Meta:
        verbose_name = _("deliberation hall")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        proposals = ProposalPage.objects.child_of(self).cards()
        stage = request.GET.get("stage", "")
        stage = stage if stage in ProposalStage.values else ""
        year = request_int(request.GET.get("year"), minimum=2000, maximum=2100)
        context["stages"] = ProposalStage.choices
        context["years"] = [
            d.year for d in proposals.live().public().dates("first_published_at", "year", "DESC")
        ]
        context["current_stage"], context["current_year"] = stage, year
        if stage or year:
            chosen = proposals.for_listing()
            if stage:
                chosen = chosen.filter(stage=stage)
            if year:
                chosen = chosen.filter(first_published_at__year=year)
            chosen = chosen.order_by("-first_published_at", "-pk")
            context["filtered_proposals"] = paginate(request, chosen, per_page=20)
            return context
        context["open_proposals"] = proposals.open_for_participation()
        closed = (
            proposals.for_listing()
            .exclude(stage__in=ProposalStage.open_stages())
            .order_by("-first_published_at", "-pk")
        )
        context["closed_proposals"] = paginate(request, closed, per_page=20)
        return context


class ProposalPage(RestrictionsMixin, SharingMixin, Page):
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
    body = StreamField(BodyBlock(), verbose_name=_("more details"), blank=True)
    comments_premoderated = models.BooleanField(
        _("review comments before they appear"),
        default=False,
        help_text=_(
            "Residents' comments wait for a moderator before anyone else sees them. "
            "Use it for a heated topic; the comments stay open."
        ),
    )

    objects = ProposalPageManager()
    card_fields = ("stage", "summary", "first_published_at")

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
        FieldPanel("comments_premoderated"),
        InlinePanel("progress_updates", label=_("Progress update"), heading=_("Progress")),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("background"),
        index.SearchField("plan"),
        index.SearchField("location"),
        index.FilterField("stage"),
    ]
    archive_kind = Kind.PROPOSAL
    parent_page_types = ["deliberation.DeliberationIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")

    def archive_facts(self) -> dict:
        """The archive's facets of a proposal: its stage, and a sealed poll's public outcome
        (passed, rejected, no quorum)."""
        sealed = self.polls.live().filter(sealed_at__isnull=False).order_by("-sealed_at").first()
        return {
            "stage": self.stage,
            "result": sealed.result.get("outcome", "") if sealed and sealed.result else "",
            "words": [self.get_stage_display()],
        }

    @property
    def is_open(self) -> bool:
        return self.stage in ProposalStage.open_stages()

    @property
    def comments_open(self) -> bool:
        """Residents discuss a proposal through every stage, objections included, until it is
        archived."""
        return self.stage != ProposalStage.ARCHIVED

    def get_context(self, request, *args, **kwargs):
        from deliberation.presenters import discussion_for_display, polls_for_display

        context = super().get_context(request, *args, **kwargs)
        context["polls"] = polls_for_display(self.polls.live(), request)  # approved ones only
        context["discussion"] = discussion_for_display(self, request)
        # The public timeline shows stages and dates, not who moved them (the auditors' does).
        context["timeline"] = StageTransition.objects.filter(proposal=self).order_by(
            "moved_at", "pk"
        )
        carried_out = (ProposalStage.IMPLEMENTING, ProposalStage.REVIEWED, ProposalStage.ARCHIVED)
        if self.stage not in carried_out:
            return context
        context["updates"] = self.progress_updates.order_by("-date", "-pk")
        context["rating"] = self.ratings.aggregate(
            average=models.Avg("score"), count=models.Count("pk")
        )
        context["my_rating"] = (
            self.ratings.filter(user=request.user).first()
            if request.user.is_authenticated
            else None
        )
        return context


class StageTransition(models.Model):
    """One move of a proposal from a stage to the next: who moved it and when (the timeline
    residents and auditors see). Recorded when a moderator publishes the change."""

    proposal = models.ForeignKey(
        ProposalPage, on_delete=models.CASCADE, related_name="stage_transitions"
    )
    from_stage = models.CharField(max_length=20, choices=ProposalStage.choices, blank=True)
    to_stage = models.CharField(max_length=20, choices=ProposalStage.choices)
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("stage transition")
        verbose_name_plural = _("stage transitions")
        ordering = ["moved_at", "pk"]

    def __str__(self) -> str:
        return f"{self.proposal}: {self.from_stage} → {self.to_stage}"
