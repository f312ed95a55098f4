from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliberationConfig(AppConfig):
    """The 议事厅: proposals, polls and ballots, comments, the ballot ledger and its audit."""

    name = "deliberation"
    verbose_name = _("Deliberation")

    def ready(self):
        from core import page_cache
        from deliberation import signals  # noqa: F401 — connects the receivers

        # The ledger and who took part show on no public page; everything else may.
        page_cache.register(self.label, skip={"ledgerentry", "participation"},
                            private_prefixes=("/receipts/", "/comments/", "/polls/", "/proposals/",
                                              "/suggestions/"))  # fmt: skip
        for comments_app in ("django_comments", "django_comments_xtd"):
            page_cache.register(comments_app)

        from deliberation.models import ProposalStage
        from deliberation.queries import add_ledger_heads
        from deliberation.tally import Outcome
        from search import facets

        facets.register_values("stage", ProposalStage.choices)
        facets.register_values("result", Outcome.choices)  # the archive's 结果：通过 / 已选出 …
        facets.register_listing_note(add_ledger_heads)
