"""Polls, their choices, their electorate, and the ballots cast in them.

Who voted and what was voted are kept apart: a ``Participation`` records that a voting unit (a
person or a household) took part, and carries the unique constraint that makes a second ballot
from the same unit impossible; a ``Ballot`` records the choices. An open (记名) ballot links the
two; a secret (不记名) ballot does not, so the choice cannot be traced back to the voter through
the application (whoever reads the raw tables can still line up their order: see
``deliberation.services.ballots``). Every change goes through ``deliberation.services``.
"""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import DraftStateMixin, Orderable, RevisionMixin, WorkflowMixin


class Eligibility(models.TextChoices):
    VERIFIED_RESIDENTS = "verified", _("Verified residents")
    SIGNED_IN = "signed_in", _("Anyone signed in")


class VotingUnit(models.TextChoices):
    """What one ballot stands for; it follows from the poll's ``voters``."""

    PERSON = "person", _("One ballot per person")
    HOUSEHOLD = "household", _("One ballot per household")


class Voters(models.TextChoices):
    """Who casts the ballots of a poll, within its scope."""

    RESIDENTS = "residents", _("Verified residents, one ballot per person")
    HOUSEHOLDS = "households", _("Households, one ballot per flat, cast by any verified member")
    OWNERS = "owners", _("Owners (业主), one ballot per flat, cast by a verified owner")


class PollKind(models.TextChoices):
    """What a poll asks: to accept a motion, to choose one option, or to approve several."""

    MOTION = "motion", _("Motion (agree / disagree / abstain)")
    CHOICE = "choice", _("Choice (the option with the most ballots wins)")
    APPROVAL = "approval", _("Approval (pick up to N options; options are ranked)")


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
        _("Civil Code art. 278: raising maintenance funds, rebuilding, change of use (items 6–8)"),
    )
    MOST_VOTES = "most_votes", _("The option with the most ballots wins")
    MOST_VOTES_QUORUM = "most_votes_quorum", _("Turnout quorum, then the most ballots win")

    @classmethod
    def civil_code(cls) -> set[str]:
        return {cls.CIVIL_CODE_ORDINARY, cls.CIVIL_CODE_MAJOR}

    @classmethod
    def for_motions(cls) -> set[str]:
        return {
            cls.SIMPLE_MAJORITY,
            cls.TWO_THIRDS,
            cls.THREE_QUARTERS,
            cls.QUORUM_MAJORITY,
            cls.CIVIL_CODE_ORDINARY,
            cls.CIVIL_CODE_MAJOR,
        }

    @classmethod
    def for_choices(cls) -> set[str]:
        return {cls.MOST_VOTES, cls.MOST_VOTES_QUORUM}

    @classmethod
    def with_quorum(cls) -> set[str]:
        return {cls.QUORUM_MAJORITY, cls.MOST_VOTES_QUORUM}


class PollStatus(models.TextChoices):
    """Where a poll stands in its voting window. Not stored: it follows from the poll's times and
    seal (see ``Poll.status``)."""

    UPCOMING = "upcoming", _("Not open yet")
    OPEN = "open", _("Open now")
    CLOSED = "closed", _("Closed")


class PollQuerySet(models.QuerySet):
    def live(self) -> "PollQuerySet":
        """Polls a moderator has approved (published through the workflow)."""
        return self.filter(live=True)

    def of_live_proposals(self) -> "PollQuerySet":
        """Approved polls whose proposal, if any, is published — what ``cast_ballot`` accepts
        without a request at hand (view restrictions are checked by ``visible_to``)."""
        return self.live().filter(models.Q(proposal__isnull=True) | models.Q(proposal__live=True))

    def visible_to(self, request_or_user=None) -> "PollQuerySet":
        """The one gate for residents: polls a visitor may see and vote in.

        A poll is shown only when a moderator has approved it (``live``) and, when it belongs
        to a proposal, that proposal is published and the visitor passes its view restrictions
        and those of its ancestors (password — passed in this session —, sign-in, groups), as
        Wagtail checks them when serving the page. Given a user (or None: an anonymous
        visitor) instead of a request, a password-restricted proposal's polls are not shown.
        Used by the API, the voting form, the poll block and the archive export. The page
        side is ``core.pages.may_see``, the one gate for pages.
        """
        from core.pages import visible_q

        return self.live().filter(
            models.Q(proposal__isnull=True) | visible_q(request_or_user, prefix="proposal__")
        )

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


class Poll(WorkflowMixin, DraftStateMixin, RevisionMixin, ClusterableModel):
    """A question residents answer by ballot, under a rule stated before voting opens.

    A poll is a draft until a moderator approves it through the same workflow as pages
    (``live``); only then do residents see it. Its electorate is explicit: ``voters`` (people,
    households or owners) within ``scope`` (rows of buildings and units; none: the whole
    community). For a motion the first choice is the approval (同意): the rule decides whether
    it passed; for a choice or an approval poll the options are ranked.

    ``closes_at`` is the announced close and is never moved: a poll closed early keeps it, and
    its ``early_closes`` say who asked, who confirmed and why.
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
    kind = models.CharField(
        _("kind of poll"), max_length=20, choices=PollKind.choices, default=PollKind.MOTION
    )
    voters = models.CharField(
        _("who votes"), max_length=20, choices=Voters.choices, default=Voters.RESIDENTS
    )
    eligibility = models.CharField(
        _("which residents (polls of residents)"),
        max_length=20,
        choices=Eligibility.choices,
        default=Eligibility.VERIFIED_RESIDENTS,
        help_text=_("Only for polls of residents (one ballot per person)."),
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
    sealed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sealed by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty when the poll was sealed by the scheduled task at its close."),
    )
    result = models.JSONField(_("result"), null=True, blank=True, editable=False)
    ledger_head = models.CharField(_("ledger head hash"), max_length=64, blank=True, editable=False)
    ledger_length = models.PositiveIntegerField(_("ledger entries"), null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    # Wagtail's revisions and workflow states of a snippet (see Wagtail's snippet docs).
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="poll")
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="poll",
        for_concrete_model=False,
    )

    objects = PollQuerySet.as_manager()

    panels = [
        FieldPanel("proposal"),
        FieldPanel("title"),
        FieldPanel("description"),
        FieldPanel("kind"),
        InlinePanel("choices", label=_("Choice"), heading=_("Choices"), min_num=2),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                FieldRowPanel([FieldPanel("voters"), FieldPanel("eligibility")]),
                FieldRowPanel([FieldPanel("weighting"), FieldPanel("max_choices")]),
                FieldPanel("secret"),
            ],
            heading=_("Who votes, and how"),
        ),
        InlinePanel(
            "scope",
            label=_("Building"),
            heading=_("Scope: the buildings that decide (none: the whole community)"),
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

    @property
    def revisions(self):
        return self._revisions

    @property
    def unit(self) -> VotingUnit:
        """What one ballot stands for: a person, or a flat (households and owners)."""
        if self.voters == Voters.RESIDENTS:
            return VotingUnit.PERSON
        return VotingUnit.HOUSEHOLD

    def get_unit_display(self) -> str:
        return VotingUnit(self.unit).label

    # What a revision may not change: the poll's life after approval belongs to the poll, not
    # to a draft (Wagtail restores every field of a revision when it is published).
    PRESERVED_ON_PUBLISH = (
        "sealed_at",
        "sealed_by_id",
        "result",
        "ledger_head",
        "ledger_length",
        "created_at",
    )

    # What voters answered: once ballots exist, no revision may change it (the edit form refuses
    # through ``clean``; approving or publishing an older draft keeps the current values).
    LOCKED_ONCE_VOTED = (
        "proposal_id",
        "title",
        "description",
        "kind",
        "voters",
        "eligibility",
        "weighting",
        "max_choices",
        "secret",
        "opens_at",
        "closes_at",
        "rule",
        "quorum_percent",
    )
    LOCKED_RELATIONS_ONCE_VOTED = ("choices", "scope")

    def with_content_json(self, content):
        obj = super().with_content_json(content)
        # As the database has it, not as ``self`` says: a revision may hold the very object it
        # was saved from, since sealed or voted in.
        current = type(self).objects.filter(pk=self.pk).first() if self.pk else None
        if current is None:
            return obj
        for name in self.PRESERVED_ON_PUBLISH:
            setattr(obj, name, getattr(current, name))
        if current.participations.exists():
            for name in self.LOCKED_ONCE_VOTED:
                setattr(obj, name, getattr(current, name))
            for relation in self.LOCKED_RELATIONS_ONCE_VOTED:
                setattr(obj, relation, list(getattr(current, relation).all()))
        elif current.announced_and_open and obj.closes_at < current.closes_at:
            obj.closes_at = current.closes_at  # closing earlier is an early close: two people
        return obj

    @property
    def announced_and_open(self) -> bool:
        """Approved, and voting has begun: its close is announced to the residents."""
        return self.live and self.sealed_at is None and timezone.now() >= self.opens_at

    def clean(self):
        super().clean()
        errors = {}
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = _("Voting must close after it opens.")
        if self.weighting == Weighting.FLOOR_AREA and self.unit != VotingUnit.HOUSEHOLD:
            errors["weighting"] = _("Weighing by floor area needs one ballot per household.")
        if self.kind == PollKind.MOTION and self.rule not in Rule.for_motions():
            errors["rule"] = _("A motion is decided by a majority rule, not by the most ballots.")
        elif self.kind != PollKind.MOTION and self.rule not in Rule.for_choices():
            errors["rule"] = _(
                "A choice is decided by the most ballots (optionally after a turnout quorum), "
                "not by a majority rule."
            )
        elif self.kind == PollKind.MOTION and self.max_choices != 1:
            errors["max_choices"] = _("A motion takes one choice per ballot.")
        elif self.kind == PollKind.CHOICE and self.max_choices != 1:
            errors["max_choices"] = _(
                "A choice poll takes one option per ballot; to pick several, use an approval poll."
            )
        elif self.kind == PollKind.APPROVAL and self.max_choices < 2:
            errors["max_choices"] = _("An approval poll lets voters pick at least two options.")
        if self.rule in Rule.civil_code():
            if self.voters != Voters.OWNERS or self.weighting != Weighting.FLOOR_AREA:
                errors["rule"] = _(
                    "Civil Code rules count owners and floor area: choose owners (one ballot per "
                    "flat), weighed by floor area."
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
        errors.update(self._electorate_errors())
        stored = type(self).objects.filter(pk=self.pk).first() if self.pk else None
        if (
            stored is not None
            and stored.announced_and_open
            and self.closes_at
            and self.closes_at < stored.closes_at
        ):
            errors["closes_at"] = _(
                "Voting has begun, so its announced close can only move later. To close it "
                "earlier, ask for an early close: another staff member must confirm it."
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

    def _electorate_errors(self) -> dict:
        """What the voters and the scope rows allow (the rows as far as they are known here: the
        admin's inline rows are checked row by row in ``PollScope.clean``)."""
        errors = {}
        rows = list(self.scope.all())
        if rows and self.voters == Voters.RESIDENTS and self.eligibility == Eligibility.SIGNED_IN:
            errors["eligibility"] = _(
                "A poll of chosen buildings is for their verified residents; “anyone signed in” "
                "is only for a poll of the whole community."
            )
        seen = set()
        for row in rows:
            key = (row.building_id, (row.unit or "").strip())
            if key in seen:
                errors["__all__"] = _("The same building (or unit) is in the scope twice.")
            seen.add(key)
        return errors

    @property
    def status(self) -> PollStatus:
        """Upcoming, open or closed (a sealed poll is closed, whatever its times say)."""
        now = timezone.now()
        if self.sealed_at or now >= self.closes_at:
            return PollStatus.CLOSED
        return PollStatus.OPEN if now >= self.opens_at else PollStatus.UPCOMING

    def voting_status(self) -> str:
        """Where voting stands, in words (the admin's listing)."""
        if self.closed_early:
            return _("Closed early")
        return PollStatus(self.status).label

    @property
    def is_open(self) -> bool:
        return self.status == PollStatus.OPEN

    @property
    def closed_early(self) -> bool:
        """Sealed before its announced close, after a confirmed early close."""
        return self.sealed_at is not None and self.sealed_at < self.closes_at


class PollScope(Orderable):
    """One building (or one unit of it) whose flats decide a poll."""

    poll = ParentalKey(Poll, on_delete=models.CASCADE, related_name="scope")
    building = models.ForeignKey(
        "community.Building",
        verbose_name=_("building"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.CharField(
        _("unit"),
        max_length=20,
        blank=True,
        help_text=_("Only this unit of the building (e.g. 2单元); empty: the whole building."),
    )

    panels = [FieldPanel("building"), FieldPanel("unit")]

    def clean(self):
        super().clean()
        self.unit = (self.unit or "").strip()
        if self.unit and self.building_id:
            from community.models import Household

            if not Household.objects.filter(building_id=self.building_id, unit=self.unit).exists():
                raise ValidationError(
                    {
                        "unit": _(
                            "The register has no flat in %(building)s %(unit)s; check the "
                            "spelling (e.g. 2单元), or leave it empty for the whole building."
                        )
                        % {"building": self.building.name, "unit": self.unit}
                    }
                )

    class Meta(Orderable.Meta):
        verbose_name = _("scope")
        verbose_name_plural = _("scope")

    def __str__(self) -> str:
        return f"{self.building}{self.unit}"


class EarlyClose(models.Model):
    """A request to close a poll before its announced time, and its confirmation.

    A moderator asks, with a reason; a second staff member (not the same account) confirms
    within ``CONFIRM_WITHIN``; only then is the poll sealed. Unconfirmed, it changes nothing and
    lapses. Kept for good: the auditors read every request, confirmed or not.
    """

    CONFIRM_WITHIN_HOURS = 24

    poll = models.ForeignKey(
        Poll, verbose_name=_("poll"), on_delete=models.PROTECT, related_name="early_closes"
    )
    reason = models.TextField(_("reason"), max_length=500)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        verbose_name = _("early close")
        verbose_name_plural = _("early closes")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["poll"],
                condition=models.Q(confirmed_at__isnull=False),
                name="one_confirmed_early_close_per_poll",
            ),
            models.CheckConstraint(
                condition=models.Q(confirmed_by__isnull=True)
                | ~models.Q(confirmed_by=models.F("requested_by")),
                name="early_close_confirmed_by_another",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.poll} · {self.requested_at:%Y-%m-%d}"

    @property
    def expires_at(self):
        from datetime import timedelta

        return self.requested_at + timedelta(hours=self.CONFIRM_WITHIN_HOURS)

    @property
    def is_pending(self) -> bool:
        return self.confirmed_at is None and timezone.now() < self.expires_at


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
    # The receipt is derived from this with the site's secret key (see
    # ``deliberation.services.ballots.receipt_for``), so the voter finds it again while the
    # database alone cannot join a secret ballot to its voter.
    receipt_nonce = models.CharField(max_length=32, blank=True)
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
