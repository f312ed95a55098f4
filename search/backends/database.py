"""The archive searched in the database: SQLite FTS5 or PostgreSQL full text over the segmented
columns of ``SearchDocument`` (migrations 0002–0005), with no extension and no extra service.

A fixed number of statements per search, whatever the number of matches, reading the matches'
facet values from narrow structures only (SQLite: a covering index; PostgreSQL: the table
``search_document_match``), never the rows holding the text. p95 at 100,000 documents: 33 ms on
SQLite, 43 ms on PostgreSQL (bench/README.md). Wagtail's own database backend over the same
documents took 4.8 s a query at 10,000 documents on SQLite — it runs the match again for every
row to rank it — hence these few lines of SQL of our own.
"""

from collections import Counter

from django.db import connection

from search.backends import FACETS, Hit, SearchRequest, SearchResponse, make_snippet
from search.models import SearchDocument
from search.segmentation import highlight_terms, normalise, query_terms

# The database ranks by word frequency only; among its best this many, the pages holding the
# query as typed (the phrase, not just its words) come first.
PHRASE_RERANK_DEPTH = 50
TABLE = SearchDocument._meta.db_table


def phrase_first(documents: list, query: str) -> list:
    phrase = "".join(normalise(query).split())
    if not phrase:
        return documents

    def contains(text: str) -> bool:
        # Most text holds the phrase as typed; normalising (full width, traditional forms,
        # spaces) is needed only to be sure it does not.
        return phrase in text or phrase in "".join(normalise(text).split())

    def holds(document) -> tuple[bool, bool]:
        return contains(document.title), contains(document.text)

    return sorted(documents, key=holds, reverse=True)  # stable: the engine's order within


def _where(filters, alias: str) -> tuple[str, list]:
    clauses, params = "", []
    for name, value in filters:
        clauses += f" AND {alias}.{name} = %s"
        params.append(int(value) if name == "year" else value)
    return clauses, params


def _facets(groups) -> tuple[int, dict]:
    """The total and the facet counts from rows of (kind, year, category, stage, count)."""
    facets = {}
    for position, name in enumerate(FACETS):
        counted = Counter()
        for row in groups:
            if row[position] not in ("", None):
                counted[row[position]] += row[4]
        facets[name] = [(str(value), count) for value, count in counted.most_common()]
    return sum(row[4] for row in groups), facets


def _sqlite(terms, filters, by_relevance: bool, limit: int, offset: int):
    """Two statements: facets from the covering index ``search_doc_facets`` (never the wide rows
    holding the text), then the page, ranked by bm25 from the FTS5 index alone when nothing is
    filtered."""
    expression = " AND ".join('"{}"'.format(term.replace('"', '""')) for term in terms)
    joined = (
        f"search_document_fts JOIN {TABLE} d INDEXED BY search_doc_facets"
        " ON d.id = search_document_fts.rowid"
    )
    where, params = _where(filters, "d")
    where = "search_document_fts MATCH %s" + where
    rank = "bm25(search_document_fts, 4.0, 1.0)"  # lower is better
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT d.kind, d.year, d.category, d.stage, COUNT(*) FROM {joined} "  # noqa: S608
            f"WHERE {where} GROUP BY d.kind, d.year, d.category, d.stage",
            [expression, *params],
        )
        groups = cursor.fetchall()
        if by_relevance and not filters:
            source, select = "search_document_fts", "search_document_fts.rowid"
            order = f"{rank}, search_document_fts.rowid DESC"
        else:
            source, select = joined, "d.id"
            order = f"{rank}, d.id DESC" if by_relevance else "d.date DESC NULLS LAST, d.id DESC"
        cursor.execute(
            f"SELECT {select} FROM {source} WHERE {where} "  # noqa: S608
            f"ORDER BY {order} LIMIT %s OFFSET %s",
            [expression, *params, limit, offset],
        )
        return groups, [row[0] for row in cursor.fetchall()]


# PostgreSQL ranks (ts_rank reads each match's vector) only among candidates: this many of the
# newest matches, and as many with the words in the title. Beyond them, results continue by date.
RANK_CANDIDATES = 500

POSTGRESQL_SEARCH = """
WITH q AS (SELECT plainto_tsquery('simple', %s) AS q),
matched AS MATERIALIZED (
    SELECT m.id, m.date, m.kind, m.year, m.category, m.stage
    FROM search_document_match m, q WHERE m.search_vector @@ q.q {where}
),
groups AS (SELECT kind, year, category, stage, COUNT(*) AS n FROM matched GROUP BY 1, 2, 3, 4),
candidates AS (
    (SELECT id FROM matched ORDER BY date DESC NULLS LAST, id DESC LIMIT {candidates})
    UNION
    (SELECT m.id FROM search_document_match m, q
     WHERE m.title_vector @@ q.q AND m.search_vector @@ q.q {where} LIMIT {candidates})
),
ordered AS (
    {ordered}
)
SELECT kind, year, category, stage, n, NULL FROM groups
UNION ALL
SELECT NULL, NULL, NULL, NULL, position, id FROM ordered WHERE position > %s AND position <= %s
"""
RANKED_PAGE = """SELECT m.id, ROW_NUMBER() OVER (
        ORDER BY ts_rank(m.search_vector, q.q) DESC, m.id DESC) AS position
    FROM search_document_match m JOIN candidates c ON c.id = m.id, q"""
DATED_PAGE = """SELECT id, ROW_NUMBER() OVER (ORDER BY date DESC NULLS LAST, id DESC) AS position
    FROM matched"""
# Past the ranked candidates: the candidates in rank order, then every other match by date.
REST_BY_DATE = """SELECT id, (SELECT COUNT(*) FROM candidates)
        + ROW_NUMBER() OVER (ORDER BY date DESC NULLS LAST, id DESC)
    FROM matched WHERE id NOT IN (SELECT id FROM candidates)"""
DEEP_PAGE = "\n    UNION ALL\n    ".join([RANKED_PAGE, REST_BY_DATE])


def _postgresql(terms, filters, by_relevance: bool, limit: int, offset: int):
    """One statement, one pass over the matches in the narrow ``search_document_match`` table
    (migration 0005): the facet counts and the page's ids."""
    where, params = _where(filters, "m")
    if not by_relevance:
        ordered = DATED_PAGE
    else:
        ordered = RANKED_PAGE if offset + limit <= RANK_CANDIDATES else DEEP_PAGE
    sql = POSTGRESQL_SEARCH.format(where=where, candidates=RANK_CANDIDATES, ordered=ordered)
    with connection.cursor() as cursor:
        cursor.execute(sql, [" ".join(terms), *params, *params, offset, offset + limit])
        rows = cursor.fetchall()
    groups = [row[:5] for row in rows if row[5] is None]
    page = sorted((row[4], row[5]) for row in rows if row[5] is not None)
    return groups, [pk for _position, pk in page]


class DatabaseBackend:
    name = "database"

    def add(self, documents) -> None:
        """Nothing to do: the database's index follows the rows (triggers)."""

    def remove(self, page_ids) -> None:
        """Nothing to do, as for ``add``."""

    def rebuild(self) -> int:
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO search_document_fts(search_document_fts) VALUES ('rebuild')"
                )
        return SearchDocument.objects.count()

    def search(self, request: SearchRequest) -> SearchResponse:
        terms = query_terms(request.query)
        if not terms:
            return SearchResponse(total=0, hits=[], facets={name: [] for name in FACETS})
        filters = [(name, value) for name, value in request.filters.items() if name in FACETS]
        by_relevance = request.sort == "relevance"
        end = request.offset + request.per_page
        rerank = by_relevance and len(terms) > 1 and end <= PHRASE_RERANK_DEPTH
        limit, offset = (PHRASE_RERANK_DEPTH, 0) if rerank else (request.per_page, request.offset)
        engine = _sqlite if connection.vendor == "sqlite" else _postgresql
        groups, ids = engine(terms, filters, by_relevance, limit, offset)
        total, facets = _facets(groups)
        found = SearchDocument.objects.defer("segmented_title", "segmented_text").in_bulk(ids)
        window = [found[pk] for pk in ids if pk in found]
        if rerank:
            window = phrase_first(window, request.query)[request.offset : end]
        marks = highlight_terms(request.query)
        hits = [
            Hit(
                page_id=doc.page_id,
                title=doc.title,
                url=doc.url,
                kind=doc.kind,
                date=doc.date,
                snippet=make_snippet(doc.text or doc.title, marks),
                stage=doc.stage,
                result=doc.result,
            )
            for doc in window
        ]
        return SearchResponse(total=total, hits=hits, facets=facets)
