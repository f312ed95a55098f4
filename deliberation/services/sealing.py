"""Sealing a poll: the end of its voting, for good.

The tally is decided once, here, under the poll's rule, and stored on the poll with the head
hash and length of its ledger, so the published result never changes and anyone can check it
against the chain. Sealing is idempotent: a second call returns the sealed poll unchanged.
"""

from django.db import transaction
from django.utils import timezone

from deliberation import ledger
from deliberation.models import Poll
from deliberation.tally import Seal, tally_poll


def seal_poll(poll: Poll) -> Poll:
    """Close ``poll`` for good and record its result under its rule (idempotent)."""
    with transaction.atomic():
        poll = Poll.objects.select_for_update().get(pk=poll.pk)
        if poll.sealed_at is not None:
            return poll
        if timezone.now() < poll.closes_at:
            poll.closes_at = timezone.now()
        counts = tally_poll(poll)
        poll.ledger_head, poll.ledger_length = ledger.head(poll)
        counts.seal = Seal(head=poll.ledger_head, entries=poll.ledger_length)
        poll.result = counts.as_dict()
        poll.sealed_at = timezone.now()
        poll.save(
            update_fields=["closes_at", "result", "sealed_at", "ledger_head", "ledger_length"]
        )
    return poll
