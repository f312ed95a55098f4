"""From a page to its search document, and keeping the documents in step with the pages.

A page has a document while it is live, public (no view restriction on it or above it) and of a
type that declares itself part of the archive. This module names no page type: each page model
says what the archive holds of it —

- ``archive_kind``: a ``search.models.Kind`` (news, activity, proposal, page); a model without
  one is not in the archive;
- ``archive_facts()`` (optional): a dict with any of ``date``, ``category``, ``stage``,
  ``result`` (the facets) and ``words`` (more text to find it by, e.g. its tags);
- ``archive_pages(pages)`` (optional classmethod): the queryset with what ``archive_facts``
  reads fetched in bulk, for rebuilding the index.

The words come from the fields the page model declares searchable (``search_fields``), so what
is searchable is decided in one place per page type. Nothing else goes in: not the organiser of
an activity, not comments, not ballots.
"""

import html
import logging

from django.db import transaction
from django.utils.html import strip_tags

from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageViewRestriction, get_page_models
from wagtail.search import index

from search.models import SearchDocument
from search.segmentation import index_text

logger = logging.getLogger(__name__)


def archive_models() -> list[type[Page]]:
    """The page types of the archive, in a stable order."""
    return [model for model in get_page_models() if getattr(model, "archive_kind", None)]


def kind_of(page: Page) -> str | None:
    return getattr(type(page), "archive_kind", None)


def is_public(page: Page) -> bool:
    return page.live and not page.get_view_restrictions().exists()


def page_text(page: Page) -> str:
    """The text of every searchable field the page model declares, title apart."""
    parts: list[str] = []
    for field in page.search_fields:
        if not isinstance(field, index.SearchField) or field.field_name == "title":
            continue
        value = getattr(page, field.field_name, None)
        if value in (None, ""):
            continue
        model_field = page._meta.get_field(field.field_name)
        if isinstance(model_field, StreamField):
            parts.extend(str(v) for v in model_field.get_searchable_content(value))
        elif isinstance(model_field, RichTextField):
            parts.append(html.unescape(strip_tags(value)))
        else:
            parts.append(str(value))
    return "\n".join(part.strip() for part in parts if part and part.strip())


def document_fields(page: Page, kind: str) -> dict:
    facts = page.archive_facts() if hasattr(page, "archive_facts") else {}
    date = facts.get("date")
    if date is None and page.first_published_at:
        date = page.first_published_at.date()
    extra = [word for word in facts.get("words", ()) if word]
    text = page_text(page)
    return {
        "kind": kind,
        "title": page.title,
        "url": page.url or "",
        "date": date,
        "year": date.year if date else None,
        "category": facts.get("category", ""),
        "stage": facts.get("stage", ""),
        "result": facts.get("result", ""),
        "text": text,
        "segmented_title": index_text(page.title),
        "segmented_text": index_text("\n".join([text, *extra])),
    }


def sync_page(page_id: int) -> SearchDocument | None:
    """Bring the page's document in line with the page: write it, or remove it."""
    from search.backends import get_backend

    page = Page.objects.filter(pk=page_id).specific().first()
    kind = kind_of(page) if page is not None else None
    if page is None or kind is None or not is_public(page):
        removed = SearchDocument.objects.filter(page_id=page_id).delete()[0]
        if removed:
            get_backend().remove([page_id])
        return None
    document, _ = SearchDocument.objects.update_or_create(
        page_id=page.pk, defaults=document_fields(page, kind)
    )
    get_backend().add([document])
    return document


def sync_tree(page_id: int) -> None:
    """The page and everything under it (a move or a new view restriction changes them all)."""
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return
    for pk in Page.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True):
        sync_page(pk)


def rebuild_documents(chunk: int = 500) -> int:
    """Every document from scratch: what ``update_index`` runs first. Returns how many."""
    restricted = [
        restriction.page for restriction in PageViewRestriction.objects.select_related("page")
    ]
    kept: set[int] = set()
    for model in archive_models():
        pages = model.objects.live().order_by("pk")
        for restriction_page in restricted:
            pages = pages.not_descendant_of(restriction_page, inclusive=True)
        if hasattr(model, "archive_pages"):
            pages = model.archive_pages(pages)
        kind = model.archive_kind
        batch: list[SearchDocument] = []
        for page in pages.iterator(chunk_size=chunk):
            batch.append(SearchDocument(page_id=page.pk, **document_fields(page, kind)))
            kept.add(page.pk)
            if len(batch) >= chunk:
                _write(batch)
                batch = []
        _write(batch)
    stale = set(SearchDocument.objects.values_list("page_id", flat=True)) - kept
    stale_ids = sorted(stale)
    for start in range(0, len(stale_ids), chunk):
        SearchDocument.objects.filter(page_id__in=stale_ids[start : start + chunk]).delete()
    return len(kept)


def _write(batch: list[SearchDocument]) -> None:
    if not batch:
        return
    with transaction.atomic():
        SearchDocument.objects.filter(page_id__in=[d.page_id for d in batch]).delete()
        SearchDocument.objects.bulk_create(batch)
