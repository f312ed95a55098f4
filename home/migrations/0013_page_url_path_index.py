"""An index on Wagtail's ``url_path``: pages are routed by their whole address in one query
(``HomePage.route``), and without it that query reads every page of the tree.

Wagtail's own table, so the index is created here with SQL. PostgreSQL gets a hash index: only
equality is asked, and a B-tree refuses keys over 2,704 bytes, which a deep address can reach.
"""

from django.db import migrations

NAME = "home_page_url_path_idx"


def create(apps, schema_editor):
    using = " USING hash" if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {NAME} ON wagtailcore_page{using} (url_path)")


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0012_page_cache_generation"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
