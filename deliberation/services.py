"""Every ballot is written here, and nowhere else.

``cast_ballot`` (online) and ``enter_paper_ballot`` (staff, from a sheet) check the window, the
voter's eligibility and the choices, then write the participation and the ballot in one
transaction, with its ledger entry. The unique constraint on (poll, voting unit) is what stops a
second ballot — also two arriving at the same instant, also an online and a paper one from the
same household — so there is no check-then-insert to race. Refusals are ``BallotRefused`` with a
Chinese message and the HTTP status the API answers with.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from django_comments_xtd.models import MaxThreadLevelExceededException

from community.models import Household
from core import throttle
from core.exceptions import Refused
from deliberation import ledger
from deliberation.models import Ballot, BallotChoice, Participation, Poll, VotingUnit, Weighting
from deliberation.models.polls import Channel
from deliberation.permissions import (
    can_enter_paper_ballot,
    can_rate,
    can_suggest_topic,
    can_vote,
    can_vote_for,
    voting_households,
)
from deliberation.tally import tally_poll

# Crockford's base32 without I, L, O, U: unambiguous when read out over the phone.
RECEIPT_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RECEIPT_LENGTH = 12  # 60 bits: unguessable, and short enough to read out


class BallotRefused(Refused):
    """A ballot that cannot be accepted."""


def new_receipt() -> str:
    code = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


def normalise_receipt(code: str) -> str:
    """Accept a receipt however it was typed: lower case, no dashes, O for 0, I or L for 1."""
    cleaned = code.upper().replace("-", "").replace(" ", "")
    cleaned = cleaned.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))
    if len(cleaned) != RECEIPT_LENGTH:
        return ""
    return f"{cleaned[:4]}-{cleaned[4:8]}-{cleaned[8:]}"


def _check_window(poll: Poll) -> None:
    now = timezone.now()
    if poll.sealed_at is not None or now >= poll.closes_at:
        raise BallotRefused(_("Voting has closed; no more ballots are accepted."), 409)
    if now < poll.opens_at:
        opens = timezone.localtime(poll.opens_at).strftime("%Y-%m-%d %H:%M")
        raise BallotRefused(_("Voting opens at %(time)s.") % {"time": opens}, 409)


def _check_choices(poll: Poll, choice_ids) -> list[int]:
    if not isinstance(choice_ids, list | tuple) or not choice_ids:
        raise BallotRefused(_("Choose at least one option."), 400)
    if not all(isinstance(c, int) and not isinstance(c, bool) for c in choice_ids):
        raise BallotRefused(_("The choices were not understood."), 400)
    if len(set(choice_ids)) != len(choice_ids):
        raise BallotRefused(_("The same option was chosen twice."), 400)
    if len(choice_ids) > poll.max_choices:
        raise BallotRefused(
            _("Choose at most %(count)s options.") % {"count": poll.max_choices}, 400
        )
    valid = set(poll.choices.values_list("pk", flat=True))
    if not set(choice_ids) <= valid:
        raise BallotRefused(_("That option is not part of this poll."), 400)
    return list(choice_ids)


def _unit(
    poll: Poll, user: AbstractUser | None, household: Household | None
) -> tuple[str, Household | None]:
    if poll.unit == VotingUnit.HOUSEHOLD:
        return f"household:{household.pk}", household
    return f"person:{user.pk}", household


def _write(poll, choice_ids, *, user, household, channel, entered_by=None, sheet="") -> Ballot:
    voter_key, household = _unit(poll, user, household)
    weight = household.floor_area if poll.weighting == Weighting.FLOOR_AREA else 1
    if weight is None:
        raise BallotRefused(
            _("This household has no registered floor area; ask the community office."), 409
        )
    owner_key = household.owner_key if household is not None else ""
    try:
        with transaction.atomic():
            # One ballot at a time per poll, so ledger positions follow each other.
            Poll.objects.select_for_update().filter(pk=poll.pk).first()
            participation = Participation.objects.create(
                poll=poll,
                voter_key=voter_key,
                user=user,
                household=household,
                weight=weight,
                owner_key=owner_key,
                channel=channel,
                entered_by=entered_by,
                paper_sheet=sheet,
            )
            ballot = Ballot.objects.create(
                poll=poll,
                participation=None if poll.secret else participation,
                receipt=new_receipt(),
                weight=weight,
                owner_key="" if poll.secret else owner_key,
                channel=channel,
            )
            BallotChoice.objects.bulk_create(
                BallotChoice(ballot=ballot, choice_id=choice_id) for choice_id in choice_ids
            )
            ledger.append(poll, ballot, choice_ids)
    except IntegrityError:
        if poll.unit == VotingUnit.HOUSEHOLD:
            message = _("Your household has already voted in this poll.")
        else:
            message = _("You have already voted in this poll.")
        raise BallotRefused(message, 409) from None
    return ballot


def cast_ballot(
    poll: Poll, user: AbstractUser, choice_ids, household: Household | None = None
) -> Ballot:
    """An online ballot from ``user`` (for their household, on a household poll)."""
    if not user.is_authenticated:
        raise BallotRefused(_("Please sign in to vote."), 401)
    throttle.check("ballot", user.pk)
    _check_window(poll)
    if not can_vote(user, poll):
        if poll.unit == VotingUnit.HOUSEHOLD:
            raise BallotRefused(
                _("Only residents of a verified household can vote in this poll."), 403
            )
        raise BallotRefused(_("Only verified residents can vote in this poll."), 403)
    choice_ids = _check_choices(poll, choice_ids)
    if poll.unit == VotingUnit.HOUSEHOLD:
        mine = voting_households(user)
        if household is None:
            voted = set(
                poll.participations.filter(household__in=mine).values_list("household", flat=True)
            )
            household = next((h for h in mine if h.pk not in voted), mine[0])
        elif not can_vote_for(user, household):
            raise BallotRefused(_("You can only vote for a household you live in."), 403)
    return _write(poll, choice_ids, user=user, household=household, channel=Channel.ONLINE)


def enter_paper_ballot(
    poll: Poll,
    entered_by: AbstractUser,
    choice_ids,
    *,
    sheet: str,
    user: AbstractUser | None = None,
    household: Household | None = None,
) -> Ballot:
    """A ballot from a meeting or a ballot box, entered by staff for a named voter or household."""
    if not can_enter_paper_ballot(entered_by):
        raise BallotRefused(_("Only moderators can enter paper ballots."), 403)
    if not sheet.strip():
        raise BallotRefused(_("Say which sheet the ballot comes from."), 400)
    _check_window(poll)
    if poll.unit == VotingUnit.HOUSEHOLD and household is None:
        raise BallotRefused(_("Name the household this ballot is for."), 400)
    if poll.unit == VotingUnit.PERSON and user is None:
        raise BallotRefused(_("Name the resident this ballot is for."), 400)
    choice_ids = _check_choices(poll, choice_ids)
    return _write(
        poll,
        choice_ids,
        user=user,
        household=household,
        channel=Channel.PAPER,
        entered_by=entered_by,
        sheet=sheet.strip(),
    )


def seal_poll(poll: Poll) -> Poll:
    """Close ``poll`` for good and record its result under its rule (idempotent)."""
    with transaction.atomic():
        poll = Poll.objects.select_for_update().get(pk=poll.pk)
        if poll.sealed_at is not None:
            return poll
        if timezone.now() < poll.closes_at:
            poll.closes_at = timezone.now()
        poll.result = tally_poll(poll).as_dict()
        poll.ledger_head, poll.ledger_length = ledger.head(poll)
        poll.result["ledger"] = {"head": poll.ledger_head, "entries": poll.ledger_length}
        poll.sealed_at = timezone.now()
        poll.save(
            update_fields=["closes_at", "result", "sealed_at", "ledger_head", "ledger_length"]
        )
    return poll


def my_participation(poll: Poll, user: AbstractUser) -> dict | None:
    """What ``user`` may see of their own ballot: for an open poll the receipt and choices, for a
    secret one only that (and when) their unit voted."""
    keys = [f"person:{user.pk}"]
    if poll.unit == VotingUnit.HOUSEHOLD:
        keys = [f"household:{h.pk}" for h in voting_households(user)]
    participation = (
        poll.participations.filter(voter_key__in=keys).select_related("household").first()
    )
    if participation is None:
        return None
    mine = {
        "recorded_at": participation.created_at,
        "household": participation.household.label if participation.household else None,
        "channel": participation.channel,
    }
    if not poll.secret:
        ballot = Ballot.objects.filter(participation=participation).first()
        if ballot is not None:
            mine["receipt"] = ballot.receipt
            mine["choices"] = sorted(ballot.picks.values_list("choice_id", flat=True))
    return mine


# Residents and households ---------------------------------------------------------------------


def rate_proposal(proposal, user: AbstractUser, score):
    """A verified resident's satisfaction with an implemented proposal, once each."""
    from deliberation.models import ProposalStage, SatisfactionRating

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


def suggest_topic(user: AbstractUser, title: str, description: str):
    from deliberation.models import TopicSuggestion

    if not can_suggest_topic(user):
        raise Refused(_("Please sign in first."), 403)
    throttle.check("suggestion", user.pk)
    return TopicSuggestion.objects.create(user=user, title=title, description=description)


# Comments -------------------------------------------------------------------------------------

# The same text from the same person on the same proposal within this time is a double click.
DUPLICATE_COMMENT_WINDOW = timedelta(minutes=2)


def post_comment(
    proposal,
    user: AbstractUser,
    text: str,
    *,
    stance: str = "",
    reply_to=None,
    followup: bool = False,
):
    """A comment (with a stance) or a reply on ``proposal``.

    It appears at once, or waits for a moderator when the proposal is pre-moderated or the text
    holds a word on the hold list; a word on the refuse list refuses it with the word named.
    Posting twice (a double click, a retried request) returns the first comment. The author's
    public name is recorded, never the real name.
    """
    from deliberation.models import ProposalPage, SensitiveWord, Stance, StanceComment
    from deliberation.permissions import can_comment, can_moderate_comments
    from deliberation.tasks import notify_comment_followers

    if not user.is_authenticated:
        raise Refused(_("Please sign in first."), 403)
    if not can_comment(user):
        raise Refused(
            _(
                "Only verified residents can take part in the discussion. "
                "Claim your household first."
            ),
            403,
        )
    if not proposal.comments_open:
        raise Refused(_("This proposal is archived; its discussion is closed."), 409)
    text = text.strip()
    if not text:
        raise Refused(_("Write something first."), 400)
    refused_words, held_words = SensitiveWord.find_in(text)
    if refused_words:
        raise Refused(
            _(
                "Your comment contains words that are not allowed here: %(words)s. "
                "Please rephrase it."
            )
            % {"words": "、".join(refused_words)},
            400,
        )
    if reply_to is not None:
        max_level = settings.COMMENTS_XTD_MAX_THREAD_LEVEL
        if reply_to.proposal_id != proposal.pk or reply_to.status != "shown":
            raise Refused(_("The comment you are replying to is not available."), 400)
        if reply_to.level >= max_level:
            raise Refused(_("This thread is as deep as it goes; reply to the comment above."), 400)
        stance = ""
    elif stance not in Stance.values:
        raise Refused(_("Choose whether you support, oppose or are neutral."), 400)

    moderator = can_moderate_comments(user)
    with transaction.atomic():
        # One post at a time per person, so a double click finds the first one.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        earlier = StanceComment.objects.filter(
            proposal=proposal,
            user=user,
            comment=text,
            parent_id=reply_to.pk if reply_to is not None else models.F("pk"),
            submit_date__gte=timezone.now() - DUPLICATE_COMMENT_WINDOW,
        ).first()
        if earlier is not None:
            return earlier
        throttle.check("comment", user.pk)
        comment = StanceComment(
            content_type=ContentType.objects.get_for_model(ProposalPage),
            object_pk=str(proposal.pk),
            site_id=settings.SITE_ID,
            proposal=proposal,
            user=user,
            user_name=user.public_name,
            user_email=user.email,
            comment=text,
            stance=stance,
            parent_id=reply_to.pk if reply_to is not None else 0,
            followup=followup and bool(user.email),
            submit_date=timezone.now(),
            is_public=moderator or not (proposal.comments_premoderated or held_words),
        )
        try:
            comment.save()
        except MaxThreadLevelExceededException:
            # The checks above make this unreachable short of a race with a moderator; the
            # transaction takes the half-saved row back with it.
            raise Refused(
                _("This thread is as deep as it goes; reply to the comment above."), 400
            ) from None
        if comment.is_public:
            transaction.on_commit(lambda: notify_comment_followers.enqueue(comment.pk))
    return comment


def flag_comment(comment, user: AbstractUser) -> bool:
    """A resident asks moderators to look at ``comment``; True the first time, False after."""
    from django_comments.models import CommentFlag

    from deliberation.permissions import can_comment

    if not can_comment(user):
        raise Refused(_("Only verified residents can report comments."), 403)
    if comment.status != "shown":
        raise Refused(_("This comment is not shown; there is nothing to report."), 409)
    try:
        with transaction.atomic():
            CommentFlag.objects.create(user=user, comment=comment, flag=CommentFlag.SUGGEST_REMOVAL)
    except IntegrityError:
        return False
    return True


def moderate_comment(
    comment, moderator: AbstractUser, action: str, *, reason: str = "", note: str = ""
):
    """Approve a held comment, hide one (with a published reason), or restore a hidden one,
    logging who decided what and when.

    Only this comment changes: replies are other people's words and are judged on their own
    (django-comments-xtd's save hook would hide or publish a whole branch, so the change is a
    queryset update that does not fire it).
    """
    from deliberation.models import CommentModeration, HidingReason, StanceComment
    from deliberation.permissions import can_moderate_comments
    from deliberation.tasks import notify_comment_followers

    Action = CommentModeration.Action
    if not can_moderate_comments(moderator):
        raise Refused(_("Only moderators can do this."), 403)
    with transaction.atomic():
        # Without the manager's outer join to the author, which PostgreSQL cannot lock.
        current = StanceComment.objects.select_related(None).select_for_update().get(pk=comment.pk)
        if action == Action.APPROVE:
            if current.status != "pending":
                raise Refused(_("Only a comment awaiting review can be approved."), 409)
            changes = {"is_public": True}
        elif action == Action.HIDE:
            if current.status == "hidden":
                raise Refused(_("This comment is already hidden."), 409)
            if reason not in HidingReason.values:
                raise Refused(_("Choose the reason residents will see."), 400)
            changes = {"is_removed": True}
        elif action == Action.RESTORE:
            if current.status != "hidden":
                raise Refused(_("Only a hidden comment can be restored."), 409)
            changes = {"is_removed": False}
        else:
            raise Refused(_("Unknown action."), 400)
        StanceComment.objects.filter(pk=current.pk).update(**changes)
        CommentModeration.objects.create(
            comment=current,
            proposal_id=current.proposal_id,
            action=action,
            reason=reason if action == Action.HIDE else "",
            note=note,
            moderator=moderator,
        )
        if action == Action.APPROVE:
            transaction.on_commit(lambda: notify_comment_followers.enqueue(current.pk))
    current.refresh_from_db()
    return current


def stop_followups(user_id: int, proposal_id: int) -> int:
    """No more emails to this person about new comments on this proposal."""
    from deliberation.models import StanceComment

    return StanceComment.objects.filter(
        user_id=user_id, proposal_id=proposal_id, followup=True
    ).update(followup=False)
