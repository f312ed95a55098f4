from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    """The site's base: users, the home page, standard pages, settings, shared blocks, roles."""

    name = "home"
    verbose_name = _("Site")

    def ready(self):
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from home import (
            auth,  # noqa: F401  (counts failed sign-ins)
            page_cache,
            sqlite,
        )

        page_cache.connect()
        connection_created.connect(sqlite.on_connection_created, dispatch_uid="sqlite-analyze")
        post_migrate.connect(sqlite.on_post_migrate, sender=self, dispatch_uid="sqlite-analyze")
