"""Recording each stage a proposal moves to, when the change is published; a proposal's archive
entry renewed when one of its polls is sealed."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from wagtail.signals import page_published

from deliberation.models import Poll, ProposalPage, StageTransition
from search.tasks import sync_page_task


@receiver(page_published, sender=ProposalPage)
def record_stage_transition(sender, instance: ProposalPage, revision=None, **kwargs) -> None:
    last = instance.stage_transitions.order_by("-moved_at", "-pk").first()
    current = last.to_stage if last else ""
    if instance.stage != current:
        StageTransition.objects.create(
            proposal=instance,
            from_stage=current,
            to_stage=instance.stage,
            moved_by=getattr(revision, "user", None),
        )


@receiver(post_save, sender=Poll)
def reindex_proposal_when_sealed(sender, instance: Poll, **kwargs) -> None:
    """A sealed poll's outcome is part of its proposal's archive entry. Rows loaded as they are
    (fixtures, a restored snapshot: ``raw``) bring their documents with them."""
    if kwargs.get("raw"):
        return
    if instance.sealed_at is not None and instance.proposal_id:
        proposal_id = instance.proposal_id
        transaction.on_commit(lambda: sync_page_task.enqueue(proposal_id))
