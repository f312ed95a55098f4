"""Keeping the archive's index in step, in the background when a task worker is configured
(django-tasks; at once, in the request, with its default immediate backend)."""

from django_tasks import task


@task()
def sync_page_task(page_id: int) -> None:
    from search.documents import sync_page

    sync_page(page_id)


@task()
def sync_tree_task(page_id: int) -> None:
    from search.documents import sync_tree

    sync_tree(page_id)


@task()
def reindex_containing_task(word: str) -> int:
    """After editors teach the segmenter a new word, re-segment the pages that contain it."""
    from search.documents import sync_page
    from search.models import SearchDocument

    page_ids = list(
        SearchDocument.objects.filter(text__contains=word).values_list("page_id", flat=True)
    )
    for page_id in page_ids:
        sync_page(page_id)
    return len(page_ids)
