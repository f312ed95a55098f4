"""PostgreSQL: match, count and rank in a narrow table of its own.

The wide table keeps what a result shows (title, address, text for snippets); the search reads
``search_document_match`` — the id, the facet columns, the date and two vectors (the title, and
title A + text B), their bulk out of line — kept in step by triggers on insert, update, delete
and truncate. Counting facets over 19,000 matches reads 15 MB instead of 29 (after 0004) or
161 MB (before), see bench/README.md. SQLite keeps its FTS5 table and covering index (0002,
0003). No extension: PL/pgSQL is built into PostgreSQL.
"""

from django.db import migrations

VECTOR = """setweight(to_tsvector('simple', {row}segmented_title), 'A')
            || setweight(to_tsvector('simple', {row}segmented_text), 'B')"""

FORWARD = [
    "DROP INDEX IF EXISTS search_document_vector",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS search_vector",
    """CREATE TABLE search_document_match (
        id integer PRIMARY KEY,
        kind varchar(10) NOT NULL,
        year smallint,
        category varchar(60) NOT NULL,
        stage varchar(20) NOT NULL,
        date date,
        title_vector tsvector NOT NULL,
        search_vector tsvector NOT NULL
    ) WITH (toast_tuple_target = 128)""",
    "CREATE INDEX search_document_match_vector ON search_document_match USING GIN (search_vector)",
    "CREATE INDEX search_document_match_title ON search_document_match USING GIN (title_vector)",
    f"""CREATE FUNCTION search_document_match_upsert() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO search_document_match
            (id, kind, year, category, stage, date, title_vector, search_vector)
        VALUES (NEW.id, NEW.kind, NEW.year, NEW.category, NEW.stage, NEW.date,
            to_tsvector('simple', NEW.segmented_title), {VECTOR.format(row="NEW.")})
        ON CONFLICT (id) DO UPDATE SET
            kind = EXCLUDED.kind, year = EXCLUDED.year, category = EXCLUDED.category,
            stage = EXCLUDED.stage, date = EXCLUDED.date,
            title_vector = EXCLUDED.title_vector, search_vector = EXCLUDED.search_vector;
        RETURN NULL;
    END $$""",
    """CREATE FUNCTION search_document_match_delete() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM search_document_match WHERE id = OLD.id;
        RETURN NULL;
    END $$""",
    """CREATE FUNCTION search_document_match_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        TRUNCATE search_document_match;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER search_document_match_upsert AFTER INSERT OR UPDATE
        ON search_searchdocument FOR EACH ROW EXECUTE FUNCTION search_document_match_upsert()""",
    """CREATE TRIGGER search_document_match_delete AFTER DELETE
        ON search_searchdocument FOR EACH ROW EXECUTE FUNCTION search_document_match_delete()""",
    """CREATE TRIGGER search_document_match_truncate AFTER TRUNCATE
        ON search_searchdocument FOR EACH STATEMENT
        EXECUTE FUNCTION search_document_match_truncate()""",
    f"""INSERT INTO search_document_match
        (id, kind, year, category, stage, date, title_vector, search_vector)
        SELECT d.id, d.kind, d.year, d.category, d.stage, d.date,
            to_tsvector('simple', d.segmented_title), {VECTOR.format(row="d.")}
        FROM search_searchdocument d""",
    "ANALYZE search_document_match",
]
BACKWARD = [
    "DROP TRIGGER IF EXISTS search_document_match_upsert ON search_searchdocument",
    "DROP TRIGGER IF EXISTS search_document_match_delete ON search_searchdocument",
    "DROP TRIGGER IF EXISTS search_document_match_truncate ON search_searchdocument",
    "DROP FUNCTION IF EXISTS search_document_match_upsert()",
    "DROP FUNCTION IF EXISTS search_document_match_delete()",
    "DROP FUNCTION IF EXISTS search_document_match_truncate()",
    "DROP TABLE IF EXISTS search_document_match",
    f"""ALTER TABLE search_searchdocument ADD COLUMN search_vector tsvector
        GENERATED ALWAYS AS ({VECTOR.format(row="")}) STORED""",
    "CREATE INDEX search_document_vector ON search_searchdocument USING GIN (search_vector)",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("search", "0004_narrow_rows_on_postgresql")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
