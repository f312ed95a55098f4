"""What the public search finds: one document per published public page, with its words
segmented, and the terms editors teach the segmenter.

``SearchDocument`` is the public archive's own index table: it holds only what a public page
shows (never drafts, private pages, comments, names or ballots), its facets (type, year,
category, stage), and two segmented fields that the database's own full-text index covers
(SQLite FTS5 or PostgreSQL ``tsvector``, see migration 0002). The Elasticsearch backend indexes
the same documents.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel


class Kind(models.TextChoices):
    NEWS = "news", _("Notice or news")
    ACTIVITY = "activity", _("Activity")
    PROPOSAL = "proposal", _("Proposal")
    PAGE = "page", _("Page")


class SearchDocument(models.Model):
    page = models.OneToOneField(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="search_document"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    title = models.CharField(max_length=255)
    url = models.TextField()  # a long Chinese slug, percent-encoded, outgrows 255 characters
    date = models.DateField(null=True, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    category = models.CharField(max_length=60, blank=True)
    stage = models.CharField(max_length=20, blank=True)
    result = models.CharField(max_length=20, blank=True)  # a sealed poll's outcome, if any
    text = models.TextField(blank=True)  # plain text, for snippets
    segmented_title = models.TextField(blank=True)
    segmented_text = models.TextField(blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["year", "kind"]),
            # Covers what the database backend reads of every match (facets, date) without
            # touching the wide rows that hold the text.
            models.Index(
                fields=["id", "kind", "year", "category", "stage", "date"],
                name="search_doc_facets",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class SearchTerm(models.Model):
    """A word the segmenter must keep whole (a practice, a place, a body: 红管家, 幸福里)."""

    word = models.CharField(
        _("word"),
        max_length=20,
        unique=True,
        help_text=_(
            "A name or term residents search for, written as one word. Pages that contain it "
            "are re-indexed when you save."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [FieldPanel("word")]

    class Meta:
        verbose_name = _("search term")
        verbose_name_plural = _("search terms")
        ordering = ["word"]

    def __str__(self) -> str:
        return self.word
