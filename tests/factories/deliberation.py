"""The 议事厅: proposals, polls with their choices, ballots, comments and sealed results.

Ballots are cast with ``cast_ballot`` / ``enter_paper_ballot`` and comments posted with
``post_comment``, so participations, the ledger, thread levels and public names are what the
site itself writes; ``seal_poll`` seals. Pages and polls have no such rules and are made plainly.

- ``ProposalPageFactory(slug="bike-shed-charging", stage=ProposalStage.DISCUSSING)``: published
  under the 议事厅 (/yishiting/<slug>/), with its first stage on the timeline;
- ``PollFactory(proposal=p, choices=["同意", "不同意"])``: open for a week unless told otherwise;
  ``household=True`` for one ballot per flat, ``owners=True`` for one per flat cast by its
  owner, ``civil_code=True`` for the Civil Code preset (owners, by floor area); ``scope=[b]``
  (buildings, or ``(building, "2单元")``) for a poll of chosen buildings; live (approved)
  unless ``draft=True``;
- ``BallotFactory(poll=poll, voter=resident, choice="同意")`` (a new resident and the first
  choice unless told), ``PaperBallotFactory(poll=poll, household=h)`` (entered by a moderator);
- ``CommentFactory(proposal=p, stance=Stance.OPPOSE)``, ``CommentFactory(reply_to=comment)``;
- ``sealed_civil_code_poll()``: owners decided a Civil Code matter online and on paper;
- ``seal_after_close(poll)``: let the announced close pass, then seal as ``seal_polls`` does;
- ``EarlyCloseFactory(poll=poll)``: a moderator's pending request to close early (confirm it
  with ``confirm_early_close``).

A poll is sealed only once its announced close has come. Ballots are cast while it is open, so
a factory that wants a sealed poll lets the time pass: ``seal_after_close`` moves ``closes_at``
into the past with a queryset ``update()`` (as if the week had gone by — nothing else changes,
and no ballot is cast after the close), then seals. A poll closed *before* its announced time
is made the honest way, with ``request_early_close`` and ``confirm_early_close``.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from wagtail.signal_handlers import disable_reference_index_auto_update

import factory
from factory.django import DjangoModelFactory

from community.models import Relation
from deliberation.models import (
    Ballot,
    Choice,
    EarlyClose,
    Poll,
    PollScope,
    ProposalPage,
    ProposalStage,
    Rule,
    Stance,
    StanceComment,
    Voters,
    Weighting,
)
from deliberation.services import (
    cast_ballot,
    enter_paper_ballot,
    post_comment,
    request_early_close,
    seal_poll,
)
from tests.factories.pages import publish_child, site_tree
from tests.factories.people import ModeratorFactory, ResidentFactory
from tests.factories.register import HouseholdFactory

__all__ = [
    "BallotFactory",
    "CommentFactory",
    "EarlyCloseFactory",
    "PaperBallotFactory",
    "PollFactory",
    "ProposalPageFactory",
    "seal_after_close",
    "sealed_civil_code_poll",
]

MOTION = ["同意", "不同意", "弃权"]


class ProposalPageFactory(factory.Factory):
    """A published proposal in the 议事厅; ``parent`` puts it elsewhere."""

    class Meta:
        model = ProposalPage

    title = factory.Sequence(lambda n: f"议题{n + 1}")
    slug = factory.Sequence(lambda n: f"proposal-{n + 1}")
    stage = ProposalStage.DISCUSSING
    summary = factory.LazyAttribute(lambda page: f"{page.title}：请大家发表意见。")

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        return publish_child(parent or site_tree().deliberation, model_class(**kwargs))


class PollFactory(DjangoModelFactory):
    """An open poll (since yesterday, for a week) with ``choices`` given by their labels."""

    class Meta:
        model = Poll
        skip_postgeneration_save = True

    class Params:
        household = factory.Trait(voters=Voters.HOUSEHOLDS)
        owners = factory.Trait(voters=Voters.OWNERS)
        draft = factory.Trait(live=False)  # not yet approved: residents do not see it
        civil_code = factory.Trait(
            voters=Voters.OWNERS, weighting=Weighting.FLOOR_AREA, rule=Rule.CIVIL_CODE_MAJOR
        )

    proposal = None
    title = factory.Sequence(lambda n: f"表决{n + 1}")
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    closes_at = factory.LazyAttribute(lambda poll: poll.opens_at + timedelta(days=8))

    @factory.post_generation
    def choices(self, create, extracted, **kwargs):
        if create:
            for position, label in enumerate(MOTION if extracted is None else extracted):
                Choice.objects.create(poll=self, label=label, sort_order=position)

    @factory.post_generation
    def scope(self, create, extracted, **kwargs):
        """``scope=[building, (building, "2单元"), …]``: the buildings (or units) that decide."""
        if create and extracted:
            for position, row in enumerate(extracted):
                building, unit = row if isinstance(row, tuple) else (row, "")
                PollScope.objects.create(
                    poll=self, building=building, unit=unit, sort_order=position
                )


def _choice_ids(poll: Poll, choice) -> list[int]:
    """The ids of a ballot's picks: a label, a Choice, a list of either, or the first choice."""
    picks = choice if isinstance(choice, list | tuple) else [choice]
    ids = []
    for pick in picks:
        if pick is None:
            pick = poll.choices.order_by("sort_order").first()
        elif isinstance(pick, str):
            pick = poll.choices.get(label=pick)
        ids.append(pick.pk)
    return ids


class BallotFactory(factory.Factory):
    """An online ballot, cast with ``cast_ballot`` by ``voter`` (for ``household`` if given)."""

    class Meta:
        model = Ballot

    poll = factory.SubFactory(PollFactory)
    voter = factory.SubFactory(ResidentFactory)
    choice = None
    household = None

    @classmethod
    def _create(cls, model_class, *, poll, voter, choice, household):
        return cast_ballot(poll, voter, _choice_ids(poll, choice), household=household)


class PaperBallotFactory(factory.Factory):
    """A paper ballot from ``sheet``, entered with ``enter_paper_ballot`` by a moderator for a
    household (a household poll) or a resident (a person poll)."""

    class Meta:
        model = Ballot

    poll = factory.SubFactory(PollFactory, household=True)
    entered_by = factory.SubFactory(ModeratorFactory)
    choice = None
    sheet = factory.Sequence(lambda n: f"表决票 第{n + 1}页")
    household = None
    user = None

    @classmethod
    def _create(cls, model_class, *, poll, entered_by, choice, sheet, household, user):
        return enter_paper_ballot(
            poll, entered_by, _choice_ids(poll, choice), sheet=sheet, household=household, user=user
        )


class CommentFactory(factory.Factory):
    """A comment posted with ``post_comment``: a top-level one with a stance, or a reply."""

    class Meta:
        model = StanceComment

    proposal = factory.LazyAttribute(
        lambda comment: comment.reply_to.proposal if comment.reply_to else ProposalPageFactory()
    )
    author = factory.SubFactory(ResidentFactory)
    text = factory.Sequence(lambda n: f"第{n + 1}条意见：我觉得可以再商量。")
    stance = Stance.SUPPORT
    reply_to = None

    @classmethod
    def _create(cls, model_class, *, proposal, author, text, stance, reply_to):
        with disable_reference_index_auto_update():  # as for pages (tests.factories.pages)
            if reply_to is not None:
                return post_comment(proposal, author, text, reply_to=reply_to)
            return post_comment(proposal, author, text, stance=stance)


def sealed_civil_code_poll(proposal: ProposalPage | None = None, **fields) -> Poll:
    """A sealed Civil Code poll over four flats of 100 m², each with its own owner: two owners
    agreed online, one flat agreed on paper, one voted against on paper — it passed, with three
    quarters of the area and of the owners agreeing."""
    poll = PollFactory(proposal=proposal, civil_code=True, **fields)
    flats = HouseholdFactory.create_batch(4, floor_area=Decimal("100.00"))
    for flat in flats[:2]:
        owner = ResidentFactory(residency__household=flat, residency__relation=Relation.OWNER)
        BallotFactory(poll=poll, voter=owner)
    PaperBallotFactory(poll=poll, household=flats[2])
    PaperBallotFactory(poll=poll, household=flats[3], choice="不同意")
    return seal_after_close(poll)


def seal_after_close(poll: Poll, by=None) -> Poll:
    """Let ``poll``'s announced close pass (a second ago), then seal it — by the scheduled
    task, or by ``by``, a moderator. See the module's note on why the close is moved."""
    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    return seal_poll(poll, by=by)


class EarlyCloseFactory(factory.Factory):
    """A pending request to close ``poll`` early, asked by a moderator with a reason."""

    class Meta:
        model = EarlyClose

    poll = factory.SubFactory(PollFactory)
    requested_by = factory.SubFactory(ModeratorFactory)
    reason = "楼栋停水检修，表决现场无法继续，提前截止。"

    @classmethod
    def _create(cls, model_class, *, poll, requested_by, reason):
        return request_early_close(poll, requested_by, reason)
