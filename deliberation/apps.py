from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliberationConfig(AppConfig):
    """The 议事厅: proposals, residents and households, polls and ballots."""

    name = "deliberation"
    verbose_name = _("Deliberation")

    def ready(self):
        from deliberation import signals  # noqa: F401 — connects the receivers
