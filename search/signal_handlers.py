"""The archive's index follows the pages at once: publish, unpublish, move, delete, a view
restriction added or removed. Each change queues a task after the transaction commits. Apps
that own something else a document shows (a sealed poll on a proposal) queue
``search.tasks.sync_page_task`` themselves."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from wagtail.models import PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from search.tasks import sync_page_task, sync_tree_task


def _later(task, argument) -> None:
    transaction.on_commit(lambda: task.enqueue(argument))


def on_publish_or_unpublish(sender, instance, **kwargs) -> None:
    _later(sync_page_task, instance.pk)


def on_move(sender, instance, **kwargs) -> None:
    _later(sync_tree_task, instance.pk)


def on_restriction_change(sender, instance, **kwargs) -> None:
    if kwargs.get("raw"):  # loaded as it is (a fixture, a restored snapshot), documents too
        return
    _later(sync_tree_task, instance.page_id)


def on_term_saved(sender, instance, created, **kwargs) -> None:
    if kwargs.get("raw"):
        return
    from search.segmentation import add_terms
    from search.tasks import reindex_containing_task

    add_terms([instance.word])
    _later(reindex_containing_task, instance.word)


def on_document_deleted(sender, instance, **kwargs) -> None:
    from search.backends import get_backend

    get_backend().remove([instance.page_id])


def register_signal_handlers() -> None:
    from search.models import SearchDocument, SearchTerm

    page_published.connect(on_publish_or_unpublish, dispatch_uid="search-publish")
    page_unpublished.connect(on_publish_or_unpublish, dispatch_uid="search-unpublish")
    post_page_move.connect(on_move, dispatch_uid="search-move")
    post_save.connect(on_restriction_change, sender=PageViewRestriction, dispatch_uid="search-r+")
    post_delete.connect(on_restriction_change, sender=PageViewRestriction, dispatch_uid="search-r-")
    post_save.connect(on_term_saved, sender=SearchTerm, dispatch_uid="search-term")
    # A deleted page takes its document with it (cascade); the engine forgets it too.
    post_delete.connect(on_document_deleted, sender=SearchDocument, dispatch_uid="search-delete")
