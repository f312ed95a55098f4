"""Reads of the 议事厅 that matter beyond one QuerySet method."""

from deliberation.models import Poll
from search.models import Kind


def add_ledger_heads(documents: list) -> None:
    """For an archive listing: each proposal's sealed ledger heads as ``document.seals``, in one
    query for the whole page of documents."""
    proposal_ids = [d.page_id for d in documents if d.kind == Kind.PROPOSAL]
    if not proposal_ids:
        return
    seals: dict[int, list[str]] = {}
    for proposal_id, head in Poll.objects.filter(
        proposal_id__in=proposal_ids, sealed_at__isnull=False
    ).values_list("proposal_id", "ledger_head"):
        seals.setdefault(proposal_id, []).append(head)
    for document in documents:
        document.seals = seals.get(document.page_id, [])
