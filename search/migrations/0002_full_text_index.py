"""The archive's full-text index, in the database itself.

SQLite: an FTS5 table over the two segmented columns (external content, so the text is stored
once), kept in step by triggers — also for bulk inserts and deletes. PostgreSQL: a stored
generated ``tsvector`` column (title weighted A, text B) with a GIN index. Both tokenise on the
spaces ``search.segmentation`` puts between words; neither needs an extension.
"""

from django.db import migrations

SQLITE = [
    """CREATE VIRTUAL TABLE search_document_fts USING fts5(
        segmented_title, segmented_text,
        content='search_searchdocument', content_rowid='id', tokenize='unicode61'
    )""",
    """CREATE TRIGGER search_document_fts_insert AFTER INSERT ON search_searchdocument BEGIN
        INSERT INTO search_document_fts(rowid, segmented_title, segmented_text)
        VALUES (new.id, new.segmented_title, new.segmented_text);
    END""",
    """CREATE TRIGGER search_document_fts_delete AFTER DELETE ON search_searchdocument BEGIN
        INSERT INTO search_document_fts(search_document_fts, rowid, segmented_title, segmented_text)
        VALUES ('delete', old.id, old.segmented_title, old.segmented_text);
    END""",
    """CREATE TRIGGER search_document_fts_update AFTER UPDATE ON search_searchdocument BEGIN
        INSERT INTO search_document_fts(search_document_fts, rowid, segmented_title, segmented_text)
        VALUES ('delete', old.id, old.segmented_title, old.segmented_text);
        INSERT INTO search_document_fts(rowid, segmented_title, segmented_text)
        VALUES (new.id, new.segmented_title, new.segmented_text);
    END""",
    "INSERT INTO search_document_fts(search_document_fts) VALUES ('rebuild')",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS search_document_fts_insert",
    "DROP TRIGGER IF EXISTS search_document_fts_delete",
    "DROP TRIGGER IF EXISTS search_document_fts_update",
    "DROP TABLE IF EXISTS search_document_fts",
]
POSTGRESQL = [
    """ALTER TABLE search_searchdocument ADD COLUMN search_vector tsvector
        GENERATED ALWAYS AS (
            setweight(to_tsvector('simple', segmented_title), 'A')
            || setweight(to_tsvector('simple', segmented_text), 'B')
        ) STORED""",
    "CREATE INDEX search_document_vector ON search_searchdocument USING GIN (search_vector)",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX IF EXISTS search_document_vector",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS search_vector",
]


def run(statements: dict):
    def apply(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("search", "0001_documents_and_terms")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        )
    ]
