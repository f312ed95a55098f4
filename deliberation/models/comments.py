"""Residents' discussion of a proposal: comments with a stance, their moderation, and the words
that hold a comment back.

Comments are django-comments-xtd comments (threading, flags, follow-up) with a stance and a real
foreign key to the proposal, so a page of threads, the stance counts and the moderation queue are
plain queries. They are written only by ``deliberation.services`` — never through
django-comments' own posting view, which is not routed.
"""

import unicodedata

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel

from django_comments_xtd.models import XtdComment, XtdCommentManager

SENSITIVE_WORDS_CACHE_KEY = "deliberation:sensitive-words"


class Stance(models.TextChoices):
    SUPPORT = "support", _("Support")
    OPPOSE = "oppose", _("Oppose")
    NEUTRAL = "neutral", _("Neutral")


class CommentStatus(models.TextChoices):
    """Where a comment stands for residents and moderators. Not stored: it follows from
    django-comments' ``is_public`` and ``is_removed`` flags (see ``StanceComment.status``)."""

    SHOWN = "shown", _("Shown")
    PENDING = "pending", _("Awaiting review")
    HIDDEN = "hidden", _("Hidden")


class HidingReason(models.TextChoices):
    """Why a comment was hidden: published on the proposal, so residents see moderation is not
    censorship. The moderator's own note stays internal."""

    PERSONAL_ATTACK = "attack", _("Personal attack or abuse")
    PERSONAL_DATA = "personal_data", _("Discloses someone's personal information")
    ADVERTISING = "advertising", _("Advertising or spam")
    OFF_TOPIC = "off_topic", _("Not about this proposal")
    UNLAWFUL = "unlawful", _("Breaks the law or the community's rules")
    DUPLICATE = "duplicate", _("Posted more than once")


DISPLAYED_FIELDS = [
    "comment",
    "content_type__app_label",
    "content_type__model",
    "is_public",
    "is_removed",
    "level",
    "order",
    "stance",
    "submit_date",
    "thread_id",
    "user_id",
    "user_name",
]


class StanceCommentQuerySet(models.QuerySet):
    def shown(self) -> "StanceCommentQuerySet":
        """What residents see: approved and not hidden."""
        return self.filter(is_public=True, is_removed=False)

    def pending(self) -> "StanceCommentQuerySet":
        """Held for a moderator: pre-moderated proposals and comments with a held word."""
        return self.filter(is_public=False, is_removed=False)

    def hidden(self) -> "StanceCommentQuerySet":
        return self.filter(is_removed=True)

    def for_display(self) -> "StanceCommentQuerySet":
        """What the proposal page shows of a comment, and no more: not the author's account
        (django-comments-xtd joins it by default), not their e-mail or address."""
        return (
            self.select_related(None)
            .select_related("content_type")  # allow_thread() reads the maximum depth by type
            .only(*DISPLAYED_FIELDS)
        )


class StanceCommentManager(XtdCommentManager.from_queryset(StanceCommentQuerySet)):
    pass


class StanceComment(XtdComment):
    """A resident's comment on a proposal. Top-level comments carry a stance; replies do not."""

    proposal = models.ForeignKey(
        "deliberation.ProposalPage",
        on_delete=models.CASCADE,
        related_name="comments",
        verbose_name=_("proposal"),
    )
    stance = models.CharField(_("stance"), max_length=10, choices=Stance.choices, blank=True)

    objects = StanceCommentManager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        permissions = [("moderate_stancecomment", _("Can approve, hide and restore comments"))]

    def __str__(self) -> str:
        return self.excerpt

    @property
    def excerpt(self) -> str:
        text = " ".join(self.comment.split())
        return text if len(text) <= 40 else f"{text[:39]}…"

    @property
    def status(self) -> CommentStatus:
        """Hidden by a moderator, else shown once public, else awaiting review."""
        if self.is_removed:
            return CommentStatus.HIDDEN
        return CommentStatus.SHOWN if self.is_public else CommentStatus.PENDING

    def get_status_display(self) -> str:
        return self.status.label

    get_status_display.short_description = _("status")

    @property
    def hidden_reason_label(self) -> str:
        """The published reason, when the query annotated ``hidden_reason``."""
        reason = getattr(self, "hidden_reason", None)
        return HidingReason(reason).label if reason in HidingReason.values else ""

    def get_absolute_url(self) -> str:
        return f"{self.proposal.url}#comment-{self.pk}"


class CommentModeration(models.Model):
    """One moderator's decision on one comment: the moderation log auditors read, and (reason and
    date only, never who wrote the comment) the public log on the proposal."""

    class Action(models.TextChoices):
        APPROVE = "approve", _("Approved")
        HIDE = "hide", _("Hidden")
        RESTORE = "restore", _("Restored")

    comment = models.ForeignKey(StanceComment, on_delete=models.CASCADE, related_name="moderations")
    proposal = models.ForeignKey(
        "deliberation.ProposalPage", on_delete=models.CASCADE, related_name="comment_moderations"
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    reason = models.CharField(_("reason"), max_length=20, choices=HidingReason.choices, blank=True)
    note = models.TextField(
        _("internal note"), blank=True, help_text=_("For other moderators and the auditors only.")
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("moderator"),
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)

    class Meta:
        verbose_name = _("comment moderation")
        verbose_name_plural = _("comment moderations")
        ordering = ["-decided_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.comment_id}"


def normalise_for_matching(text: str) -> str:
    """Fold full-width forms and case, drop spaces and punctuation, so “微 信”, “ＷＸ” and “W.X”
    still match the words “微信” and “wx”."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] in "LN")


class SensitiveWord(models.Model):
    """A word moderators do not want in comments: either refused outright with a message, or
    allowed through to the moderation queue instead of appearing at once."""

    class Action(models.TextChoices):
        REFUSE = "refuse", _("Refuse the comment")
        HOLD = "hold", _("Hold the comment for a moderator")

    word = models.CharField(_("word"), max_length=50, unique=True)
    action = models.CharField(
        _("action"), max_length=10, choices=Action.choices, default=Action.HOLD
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    panels = [FieldPanel("word"), FieldPanel("action"), FieldPanel("note")]

    class Meta:
        verbose_name = _("sensitive word")
        verbose_name_plural = _("sensitive words")
        ordering = ["word"]

    def __str__(self) -> str:
        return self.word

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        cache.delete(SENSITIVE_WORDS_CACHE_KEY)

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        cache.delete(SENSITIVE_WORDS_CACHE_KEY)
        return result

    @classmethod
    def find_in(cls, text: str) -> tuple[list[str], list[str]]:
        """The refused and the held words that ``text`` contains (one cached query per change
        of the list)."""
        words = cache.get(SENSITIVE_WORDS_CACHE_KEY)
        if words is None:
            words = [(normalise_for_matching(w.word), w.word, w.action) for w in cls.objects.all()]
            cache.set(SENSITIVE_WORDS_CACHE_KEY, words, 3600)
        haystack = normalise_for_matching(text)
        refused, held = [], []
        for needle, word, action in words:
            if needle and needle in haystack:
                (refused if action == cls.Action.REFUSE else held).append(word)
        return refused, held
