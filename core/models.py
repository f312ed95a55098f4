"""The ground floor's own rows: rate-limit counters and the page cache generation."""

from django.db import models


class Throttle(models.Model):
    """How often one person or address did one kind of thing lately (see ``core.throttle``).

    ``key`` is a keyed hash of the user name or address, never the value itself, so this table
    holds no personal data."""

    scope = models.CharField(max_length=30)
    key = models.CharField(max_length=64)
    started_at = models.DateTimeField()
    hits = models.PositiveIntegerField(default=0)
    blocked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="one_throttle_per_scope_and_key")
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key[:8]}"


class PageCacheGeneration(models.Model):
    """One row: the generation of the anonymous page cache (``core.page_cache``). Any change a
    public page could show bumps it in the same transaction as the change; a page rendered
    before is then never served again."""

    value = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.value)
