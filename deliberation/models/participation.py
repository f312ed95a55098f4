"""What residents add around proposals: topic suggestions, and satisfaction once implemented;
and the progress updates editors post while a proposal is carried out."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable


class ProgressUpdate(Orderable):
    """A note on how implementation is going (实施进展), shown on the proposal page."""

    proposal = ParentalKey(
        "deliberation.ProposalPage", on_delete=models.CASCADE, related_name="progress_updates"
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    text = models.TextField(_("progress"))

    panels = [FieldPanel("date"), FieldPanel("text")]

    class Meta(Orderable.Meta):
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")

    def __str__(self) -> str:
        return f"{self.date}: {self.text[:30]}"


class SatisfactionRating(models.Model):
    """A resident's rating (1–5) of an implemented proposal: one per resident and proposal."""

    proposal = models.ForeignKey(
        "deliberation.ProposalPage", on_delete=models.CASCADE, related_name="ratings"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("satisfaction rating")
        verbose_name_plural = _("satisfaction ratings")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="one_rating_per_resident"),
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="rating_between_1_and_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposal}: {self.score}"


class SuggestionStatus(models.TextChoices):
    NEW = "new", _("New")
    ACCEPTED = "accepted", _("Turned into a proposal")
    DECLINED = "declined", _("Declined")


class TopicSuggestion(models.Model):
    """A topic a resident wants the 议事厅 to take up (自治议题征集); editors turn good ones into
    proposals."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("suggested by"),
        on_delete=models.CASCADE,
        related_name="topic_suggestions",
    )
    title = models.CharField(_("topic"), max_length=100)
    description = models.TextField(_("what and why"), max_length=2000)
    status = models.CharField(
        _("status"), max_length=10, choices=SuggestionStatus.choices, default=SuggestionStatus.NEW
    )
    proposal = models.ForeignKey(
        "deliberation.ProposalPage",
        verbose_name=_("proposal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="suggestions",
        help_text=_("The proposal this topic became."),
    )
    reply = models.TextField(_("reply to the resident"), blank=True)
    created_at = models.DateTimeField(_("suggested"), default=timezone.now)

    panels = [
        FieldPanel("title", read_only=True),
        FieldPanel("description", read_only=True),
        FieldPanel("status"),
        FieldPanel("proposal"),
        FieldPanel("reply"),
    ]

    class Meta:
        verbose_name = _("topic suggestion")
        verbose_name_plural = _("topic suggestions")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title
