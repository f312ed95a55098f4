"""On PostgreSQL, keep the search table's rows narrow: the text, the segmented text and the
search vector go to TOAST storage (compressed, out of line) as soon as a row passes 128 bytes,
so counting facets over tens of thousands of matches reads a few thousand small pages instead of
one wide page per document (bench/README.md: 95 → 33 ms for 19,000 matches). SQLite keeps the
facets in a covering index instead (0003)."""

from django.db import migrations


def narrow(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE search_searchdocument SET (toast_tuple_target = 128)"
        )


def widen(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE search_searchdocument RESET (toast_tuple_target)")


class Migration(migrations.Migration):
    dependencies = [("search", "0003_facet_covering_index")]

    operations = [migrations.RunPython(narrow, widen)]
