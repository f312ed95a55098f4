"""Recording each stage a proposal moves to, when the change is published."""

from django.dispatch import receiver

from wagtail.signals import page_published

from deliberation.models import ProposalPage, StageTransition


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
