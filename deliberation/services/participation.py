"""What residents add around proposals besides ballots and comments: a satisfaction rating once
a proposal is carried out, and topic suggestions for the 议事厅 (自治议题征集).

Each is one row written in one transaction; a second rating of the same proposal by the same
resident is stopped by the database's unique constraint, not by a check before the insert.
"""

from django.contrib.auth.models import AbstractUser
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core import throttle
from core.exceptions import Refused
from deliberation.models import ProposalPage, ProposalStage, SatisfactionRating, TopicSuggestion
from deliberation.permissions import can_rate, can_suggest_topic


def rate_proposal(
    proposal: ProposalPage, user: AbstractUser, score: int | None
) -> SatisfactionRating:
    """A verified resident's satisfaction with an implemented proposal, once each."""
    if not user.is_authenticated:
        raise Refused(_("Please sign in first."), 403)
    if proposal.stage != ProposalStage.REVIEWED:
        raise Refused(_("Ratings are open once the proposal is in the review stage."), 409)
    if not can_rate(user):
        raise Refused(_("Only verified residents can rate."), 403)
    if not isinstance(score, int) or not 1 <= score <= 5:
        raise Refused(_("Choose a score from 1 to 5."), 400)
    try:
        with transaction.atomic():
            return SatisfactionRating.objects.create(proposal=proposal, user=user, score=score)
    except IntegrityError:
        raise Refused(_("You have already rated this proposal."), 409) from None


def suggest_topic(user: AbstractUser, title: str, description: str) -> TopicSuggestion:
    """A resident's topic for the 议事厅, for staff to read, answer and perhaps turn into a
    proposal; throttled, since anyone signed in may send one."""
    if not can_suggest_topic(user):
        raise Refused(_("Please sign in first."), 403)
    throttle.check("suggestion", user.pk)
    return TopicSuggestion.objects.create(user=user, title=title, description=description)
