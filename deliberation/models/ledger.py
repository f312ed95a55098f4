"""The ballot ledger: one hash chain per poll, one entry per accepted ballot.

Each entry's ``hash`` is SHA-256 over the previous entry's hash, a newline, and the entry's
``payload`` — a canonical JSON text kept exactly as it was hashed. The payload names the poll,
the position, the ballot's id, its choices, weight and channel, and a random nonce; never the
voter. Sealing a poll records the head hash and the length on the poll. See
``deliberation.ledger`` for writing and verifying, and the README for the recipe.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LedgerEntry(models.Model):
    poll = models.ForeignKey(
        "deliberation.Poll", on_delete=models.PROTECT, related_name="ledger", verbose_name=_("poll")
    )
    position = models.PositiveIntegerField(_("position"))
    # Not a foreign key: a ballot deleted behind the application's back must leave its entry
    # behind, so verification can say which one went missing.
    ballot_id = models.UUIDField(_("ballot"), null=True, blank=True, db_index=True)
    # "ballot" for an accepted ballot; "close" for the last entry, written when the poll is
    # sealed: its announced and actual close, who sealed it and any early close, so the seal
    # covers them too.
    kind = models.CharField(_("kind"), max_length=10, default="ballot")
    payload = models.TextField(_("payload"))
    previous_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["poll", "position"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "position"], name="one_entry_per_position"),
            models.UniqueConstraint(fields=["ballot_id"], name="one_entry_per_ballot"),
        ]

    def __str__(self) -> str:
        return f"{self.poll_id}#{self.position} {self.hash[:12]}"
