from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    """Notices, news and activity posters."""

    name = "news"
    verbose_name = _("News and activities")

    def ready(self):
        from core import page_cache

        page_cache.register(self.label)
