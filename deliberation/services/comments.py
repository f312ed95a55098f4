"""Residents' discussion of a proposal: posting a comment or a reply, reporting one, a
moderator's decision on one, and stopping follow-up emails.

Every comment is written here (django-comments' own posting view is not routed). A comment
appears at once or waits for a moderator; every moderation decision is logged with who made it
and why, and the published reason is shown where the comment was.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from django_comments.models import CommentFlag
from django_comments_xtd.models import MaxThreadLevelExceededException

from core import throttle
from core.exceptions import Refused
from deliberation.models import (
    CommentModeration,
    CommentStatus,
    HidingReason,
    ProposalPage,
    SensitiveWord,
    Stance,
    StanceComment,
)
from deliberation.permissions import can_comment, can_moderate_comments
from deliberation.tasks import notify_comment_followers

# The same text from the same person on the same proposal within this time is a double click.
DUPLICATE_COMMENT_WINDOW = timedelta(minutes=2)


def post_comment(
    proposal: ProposalPage,
    user: AbstractUser,
    text: str,
    *,
    stance: str = "",
    reply_to: StanceComment | None = None,
    followup: bool = False,
) -> StanceComment:
    """A comment (with a stance) or a reply on ``proposal``.

    It appears at once, or waits for a moderator when the proposal is pre-moderated or the text
    holds a word on the hold list; a word on the refuse list refuses it with the word named.
    Posting twice (a double click, a retried request) returns the first comment. The author's
    public name is recorded, never the real name.
    """

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
        if reply_to.proposal_id != proposal.pk or reply_to.status != CommentStatus.SHOWN:
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


def flag_comment(comment: StanceComment, user: AbstractUser) -> bool:
    """A resident asks moderators to look at ``comment``; True the first time, False after."""
    if not can_comment(user):
        raise Refused(_("Only verified residents can report comments."), 403)
    if comment.status != CommentStatus.SHOWN:
        raise Refused(_("This comment is not shown; there is nothing to report."), 409)
    try:
        with transaction.atomic():
            CommentFlag.objects.create(user=user, comment=comment, flag=CommentFlag.SUGGEST_REMOVAL)
    except IntegrityError:
        return False
    return True


def moderate_comment(
    comment: StanceComment,
    moderator: AbstractUser,
    action: str,
    *,
    reason: str = "",
    note: str = "",
) -> StanceComment:
    """Approve a held comment, hide one (with a published reason), or restore a hidden one,
    logging who decided what and when.

    Only this comment changes: replies are other people's words and are judged on their own
    (django-comments-xtd's save hook would hide or publish a whole branch, so the change is a
    queryset update that does not fire it).
    """

    Action = CommentModeration.Action
    if not can_moderate_comments(moderator):
        raise Refused(_("Only moderators can do this."), 403)
    with transaction.atomic():
        # Without the manager's outer join to the author, which PostgreSQL cannot lock.
        current = StanceComment.objects.select_related(None).select_for_update().get(pk=comment.pk)
        if action == Action.APPROVE:
            if current.status != CommentStatus.PENDING:
                raise Refused(_("Only a comment awaiting review can be approved."), 409)
            changes = {"is_public": True}
        elif action == Action.HIDE:
            if current.status == CommentStatus.HIDDEN:
                raise Refused(_("This comment is already hidden."), 409)
            if reason not in HidingReason.values:
                raise Refused(_("Choose the reason residents will see."), 400)
            changes = {"is_removed": True}
        elif action == Action.RESTORE:
            if current.status != CommentStatus.HIDDEN:
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
    return StanceComment.objects.filter(
        user_id=user_id, proposal_id=proposal_id, followup=True
    ).update(followup=False)
