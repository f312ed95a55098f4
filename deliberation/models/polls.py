"""Polls, their choices, and the ballots cast in them.

Who voted and what was voted are kept apart: a ``Participation`` records that a voting unit (a
person or a household) took part, and carries the unique constraint that makes a second ballot
from the same unit impossible; a ``Ballot`` records the choices. An open (记名) ballot links the
two; a secret (不记名) ballot does not, so the choice cannot be traced back to the voter through
the application. Every change goes through ``deliberation.services``.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable


class Eligibility(models.TextChoices):
    VERIFIED_RESIDENTS = "verified", _("Verified residents")
    SIGNED_IN = "signed_in", _("Anyone signed in")


class VotingUnit(models.TextChoices):
    PERSON = "person", _("One ballot per person")
    HOUSEHOLD = "household", _("One ballot per household")


class Weighting(models.TextChoices):
    ONE = "one", _("Every ballot counts once")
    FLOOR_AREA = "floor_area", _("Ballots weigh the household's floor area")


class Rule(models.TextChoices):
    SIMPLE_MAJORITY = "simple_majority", _("Simple majority of participants")
    TWO_THIRDS = "two_thirds", _("Two thirds of participants")
    THREE_QUARTERS = "three_quarters", _("Three quarters of participants")
    QUORUM_MAJORITY = "quorum_majority", _("Turnout quorum, then simple majority")
    CIVIL_CODE_ORDINARY = "civil_code_ordinary", _("Civil Code art. 278: ordinary matter")
    CIVIL_CODE_MAJOR = (
        "civil_code_major",
        _("Civil Code art. 278: maintenance funds, rebuilding, change of use (items 6–8)"),
    )

    @classmethod
    def civil_code(cls) -> set[str]:
        return {cls.CIVIL_CODE_ORDINARY, cls.CIVIL_CODE_MAJOR}


class PollStatus(models.TextChoices):
    """Where a poll stands in its voting window. Not stored: it follows from the poll's times and
    seal (see ``Poll.status``)."""

    UPCOMING = "upcoming", _("Not open yet")
    OPEN = "open", _("Open now")
    CLOSED = "closed", _("Closed")


class PollQuerySet(models.QuerySet):
    def open(self, now=None) -> "PollQuerySet":
        """Polls taking ballots right now."""
        now = now or timezone.now()
        return self.filter(opens_at__lte=now, closes_at__gt=now, sealed_at__isnull=True)

    def closed(self, now=None) -> "PollQuerySet":
        now = now or timezone.now()
        return self.filter(models.Q(closes_at__lte=now) | models.Q(sealed_at__isnull=False))

    def due_for_sealing(self, now=None) -> "PollQuerySet":
        now = now or timezone.now()
        return self.filter(closes_at__lte=now, sealed_at__isnull=True)


class Poll(ClusterableModel):
    """A question residents answer by ballot, under a rule stated before voting opens.

    The first choice is the motion's approval (e.g. 同意): the rule decides whether it passed.
    """

    proposal = models.ForeignKey(
        "deliberation.ProposalPage",
        verbose_name=_("proposal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="polls",
        help_text=_("The proposal this poll decides. Empty for a poll embedded in any page."),
    )
    title = models.CharField(_("question"), max_length=200)
    description = models.TextField(_("explanation"), blank=True)
    eligibility = models.CharField(
        _("who may vote"),
        max_length=20,
        choices=Eligibility.choices,
        default=Eligibility.VERIFIED_RESIDENTS,
    )
    unit = models.CharField(
        _("voting unit"), max_length=20, choices=VotingUnit.choices, default=VotingUnit.PERSON
    )
    weighting = models.CharField(
        _("weight"), max_length=20, choices=Weighting.choices, default=Weighting.ONE
    )
    max_choices = models.PositiveSmallIntegerField(
        _("choices per ballot"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("1 for a single choice; more lets voters pick up to that many."),
    )
    opens_at = models.DateTimeField(_("voting opens"))
    closes_at = models.DateTimeField(_("voting closes"))
    secret = models.BooleanField(
        _("secret ballot (不记名)"),
        default=False,
        help_text=_("Nobody, auditors included, can see who chose what."),
    )
    rule = models.CharField(
        _("decision rule"), max_length=30, choices=Rule.choices, default=Rule.SIMPLE_MAJORITY
    )
    quorum_percent = models.PositiveSmallIntegerField(
        _("turnout quorum (%)"),
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Only for the turnout-quorum rule: share of eligible voters who must vote."),
    )
    sealed_at = models.DateTimeField(_("sealed"), null=True, blank=True, editable=False)
    result = models.JSONField(_("result"), null=True, blank=True, editable=False)
    ledger_head = models.CharField(_("ledger head hash"), max_length=64, blank=True, editable=False)
    ledger_length = models.PositiveIntegerField(_("ledger entries"), null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PollQuerySet.as_manager()

    panels = [
        FieldPanel("proposal"),
        FieldPanel("title"),
        FieldPanel("description"),
        InlinePanel("choices", label=_("Choice"), heading=_("Choices"), min_num=2),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                FieldRowPanel([FieldPanel("eligibility"), FieldPanel("unit")]),
                FieldRowPanel([FieldPanel("weighting"), FieldPanel("max_choices")]),
                FieldPanel("secret"),
            ],
            heading=_("Who votes, and how"),
        ),
        MultiFieldPanel(
            [FieldPanel("rule"), FieldPanel("quorum_percent")], heading=_("Decision rule")
        ),
    ]

    class Meta:
        verbose_name = _("poll")
        verbose_name_plural = _("polls")
        ordering = ["-opens_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="poll_closes_after_opening",
            ),
        ]
        # What staff may do to a poll beyond editing it; decided in deliberation.permissions.
        permissions = [
            ("seal_poll", _("Can seal a poll before its close")),
            ("enter_paper_ballot", _("Can enter paper ballots")),
            ("audit_poll", _("Can audit polls: ledger, tally, exports and their history")),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        super().clean()
        errors = {}
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = _("Voting must close after it opens.")
        if self.weighting == Weighting.FLOOR_AREA and self.unit != VotingUnit.HOUSEHOLD:
            errors["weighting"] = _("Weighing by floor area needs one ballot per household.")
        if self.rule in Rule.civil_code():
            if self.unit != VotingUnit.HOUSEHOLD or self.weighting != Weighting.FLOOR_AREA:
                errors["rule"] = _(
                    "Civil Code rules count units and floor area: choose one ballot per household, "
                    "weighed by floor area."
                )
            elif self.secret:
                errors["secret"] = _(
                    "Civil Code decisions count each owner once, which needs an open (记名) ballot."
                )
        elif self.secret and self.weighting == Weighting.FLOOR_AREA:
            errors["secret"] = _(
                "A secret ballot cannot be weighed by floor area: an unusual area would show "
                "whose ballot it is. Count one per household, or use an open ballot."
            )
        if self.sealed_at:
            errors["__all__"] = _("A sealed poll cannot be changed.")
        elif self.pk and self.participations.exists():
            # Changing the question, choices or rule after ballots are cast would change what
            # those ballots mean; a correction is a new poll.
            errors["__all__"] = _(
                "Ballots have been cast, so this poll can no longer be changed. "
                "To correct it, create a new poll."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def status(self) -> PollStatus:
        """Upcoming, open or closed (a sealed poll is closed, whatever its times say)."""
        now = timezone.now()
        if self.sealed_at or now >= self.closes_at:
            return PollStatus.CLOSED
        return PollStatus.OPEN if now >= self.opens_at else PollStatus.UPCOMING

    @property
    def is_open(self) -> bool:
        return self.status == PollStatus.OPEN


class Choice(Orderable):
    """One answer a ballot can pick."""

    poll = ParentalKey(Poll, on_delete=models.CASCADE, related_name="choices")
    label = models.CharField(_("label"), max_length=100)

    panels = [FieldPanel("label")]

    class Meta(Orderable.Meta):
        verbose_name = _("choice")
        verbose_name_plural = _("choices")

    def __str__(self) -> str:
        return self.label


class Channel(models.TextChoices):
    """How a ballot reached the poll: cast online by the voter, or entered by staff from paper."""

    ONLINE = "online", _("Online")
    PAPER = "paper", _("Paper")


class Participation(models.Model):
    """That a voting unit took part in a poll: the one-ballot-per-unit constraint lives here.

    ``voter_key`` names the unit (``person:<user id>`` or ``household:<household id>``), so an
    online and a paper ballot from the same unit collide on the same key.
    """

    poll = models.ForeignKey(Poll, on_delete=models.PROTECT, related_name="participations")
    voter_key = models.CharField(max_length=40)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    household = models.ForeignKey(
        "community.Household",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="participations",
    )
    # What the headcount and area rules need, fixed when the ballot is cast.
    weight = models.DecimalField(max_digits=10, decimal_places=2, default=1)
    owner_key = models.CharField(max_length=80, blank=True)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    paper_sheet = models.CharField(_("paper sheet"), max_length=60, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(fields=["poll", "voter_key"], name="one_ballot_per_voting_unit")
        ]

    def __str__(self) -> str:
        return f"{self.poll} · {self.voter_key}"


class Ballot(models.Model):
    """The choices of one ballot, with the receipt its voter can look up.

    For a secret poll ``participation`` stays empty and the ballot carries no time of its own.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    poll = models.ForeignKey(Poll, on_delete=models.PROTECT, related_name="ballots")
    participation = models.OneToOneField(
        Participation, null=True, blank=True, on_delete=models.PROTECT, related_name="ballot"
    )
    receipt = models.CharField(max_length=20, unique=True)
    weight = models.DecimalField(max_digits=10, decimal_places=2, default=1)
    owner_key = models.CharField(max_length=80, blank=True)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    choices = models.ManyToManyField(Choice, through="BallotChoice", related_name="+")

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")

    def __str__(self) -> str:
        return self.receipt


class BallotChoice(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="picks")
    choice = models.ForeignKey(Choice, on_delete=models.PROTECT, related_name="picks")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ballot", "choice"], name="ballot_choice_once")
        ]

    def __str__(self) -> str:
        return f"{self.ballot} → {self.choice}"
