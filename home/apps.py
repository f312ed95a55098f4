from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    """The site's base: users, the home page, standard pages, settings, shared blocks, roles."""

    name = "home"
    verbose_name = _("Site")

    def ready(self):
        from home import (
            auth,  # noqa: F401  (counts failed sign-ins)
            page_cache,
        )

        page_cache.connect()
