from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """Searching the public affairs archive."""

    name = "search"
    verbose_name = _("Search")

    def ready(self):
        from core import page_cache

        page_cache.register(self.label, skip={"searchterm", "searchdocument"})
        from search.signal_handlers import register_signal_handlers

        register_signal_handlers()
