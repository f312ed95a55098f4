from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The ground floor every app stands on: the anonymous page cache and its generation, rate
    limits and the sign-in lock, middleware, refusals, and helpers for forms, spreadsheets,
    pagination, text encodings and SQLite. It imports none of the project's other apps; what it
    must know of them (addresses never cached, models a page may show) they declare
    (``core.page_cache.register``)."""

    name = "core"
    verbose_name = _("Site infrastructure")

    def ready(self):
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate
        from django.urls import register_converter

        from core import (
            auth,  # noqa: F401  (counts failed sign-ins)
            numbers,
            page_cache,
            sqlite,
        )

        register_converter(numbers.IdConverter, "id")  # <id:pk>: a bounded database id

        page_cache.connect()
        connection_created.connect(sqlite.on_connection_created, dispatch_uid="sqlite-analyze")
        post_migrate.connect(sqlite.on_post_migrate, sender=self, dispatch_uid="sqlite-analyze")
