"""Background work of the 议事厅, run by django-tasks (at once in the request unless a worker
backend is configured in ``TASKS``)."""

import logging

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from django_tasks import task

logger = logging.getLogger(__name__)

FOLLOWUP_SALT = "deliberation.followup"


def followup_token(user_id: int, proposal_id: int) -> str:
    """What the “stop these emails” link carries: signed, so nobody can mute someone else."""
    return signing.dumps({"u": user_id, "p": proposal_id}, salt=FOLLOWUP_SALT)


def read_followup_token(token: str) -> tuple[int, int] | None:
    try:
        data = signing.loads(token, salt=FOLLOWUP_SALT)
        return int(data["u"]), int(data["p"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


@task()
def notify_comment_followers(comment_id: int) -> int:
    """Email everyone who asked to follow the discussion of this comment's proposal (except its
    author) that there is a new comment. Returns how many emails were sent.

    Addresses go only to the mail server; the log records the count, never who.
    """
    from django.contrib.auth import get_user_model

    from deliberation.models import CommentStatus, StanceComment

    User = get_user_model()

    comment = StanceComment.objects.select_related("proposal").filter(pk=comment_id).first()
    if comment is None or comment.status != CommentStatus.SHOWN:
        return 0
    proposal = comment.proposal
    follower_ids = (
        StanceComment.objects.shown()
        .filter(proposal=proposal, followup=True)
        .exclude(user_id=comment.user_id)
        .order_by()
        .values("user_id")
    )
    followers = User.objects.filter(pk__in=follower_ids, is_active=True).exclude(email="")
    root = proposal.get_site().root_url if proposal.get_site() else ""
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("New comment on “%(proposal)s”") % {"proposal": proposal.title}
        for follower in followers:
            mute = reverse("comment_followup_stop", args=[followup_token(follower.pk, proposal.pk)])
            body = render_to_string(
                "deliberation/email/comment_followup.txt",
                {
                    "comment": comment,
                    "proposal": proposal,
                    "link": f"{root}{proposal.url}#comment-{comment.pk}",
                    "mute_link": f"{root}{mute}",
                },
            )
            messages.append(EmailMessage(subject, body, to=[follower.email]))
    if messages:
        sent = get_connection(fail_silently=True).send_messages(messages) or 0
        logger.info("comment %s: %s follow-up emails sent", comment.pk, sent)
        return sent
    return 0
