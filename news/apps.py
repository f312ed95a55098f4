from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    """Notices, news and activity posters."""

    name = "news"
    verbose_name = _("News and activities")
