"""The archive searched in the database: SQLite FTS5 or PostgreSQL full text over the segmented
columns of ``SearchDocument`` (see migration 0002), with no extension and no extra service.

Two queries per search, whatever the number of matches: one counts the matches by facet values
(from a covering index, never the rows holding the text), one reads the ranked page of results.
Wagtail's own database backend over the same documents took 4.8 s a query at 10,000 documents
on SQLite — it runs the match again for every row to rank it — hence these few lines of SQL of
our own (bench/README.md).
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

    def holds(document) -> tuple[bool, bool]:
        return (
            phrase in "".join(normalise(document.title).split()),
            phrase in "".join(normalise(document.text).split()),
        )

    return sorted(documents, key=holds, reverse=True)  # stable: the engine's order within


def _match(terms: list[str], narrow: bool) -> tuple[str, str, list, str]:
    """FROM, WHERE, parameters and the rank expression for every term being required.

    ``narrow``: only the id is needed from the document (no filter, ranked by relevance), so
    SQLite answers from its full-text index alone; otherwise it reads the covering index
    ``search_doc_facets``, never the wide rows that hold the text."""
    if connection.vendor == "sqlite":
        expression = " AND ".join('"{}"'.format(term.replace('"', '""')) for term in terms)
        source = "search_document_fts"
        if not narrow:
            source += (
                f" JOIN {TABLE} d INDEXED BY search_doc_facets ON d.id = search_document_fts.rowid"
            )
        return (
            source,
            "search_document_fts MATCH %s",
            [expression],
            "bm25(search_document_fts, 4.0, 1.0)",  # lower is better
        )
    return (
        f"{TABLE} d, plainto_tsquery('simple', %s) q",
        "d.search_vector @@ q",
        [" ".join(terms)],
        "-ts_rank(d.search_vector, q)",
    )


class DatabaseBackend:
    name = "database"

    def add(self, documents) -> None:
        """Nothing to do: the database's index follows the rows (triggers or a generated
        column)."""

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
        source, where, params, rank = _match(terms, narrow=False)
        for name, value in filters:
            where += f" AND d.{name} = %s"
            params.append(int(value) if name == "year" else value)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT d.kind, d.year, d.category, d.stage, COUNT(*) FROM {source} "  # noqa: S608
                f"WHERE {where} GROUP BY d.kind, d.year, d.category, d.stage",
                params,
            )
            groups = cursor.fetchall()
        total = sum(row[-1] for row in groups)
        facets = {}
        for position, name in enumerate(FACETS):
            counted = Counter()
            for row in groups:
                if row[position] not in ("", None):
                    counted[row[position]] += row[-1]
            facets[name] = [(str(value), count) for value, count in counted.most_common()]
        end = request.offset + request.per_page
        rerank = by_relevance and len(terms) > 1 and end <= PHRASE_RERANK_DEPTH
        limit, offset = (PHRASE_RERANK_DEPTH, 0) if rerank else (request.per_page, request.offset)
        if by_relevance and not filters and connection.vendor == "sqlite":
            source, where, params, rank = _match(terms, narrow=True)
            select, order = "search_document_fts.rowid", f"{rank}, search_document_fts.rowid DESC"
        else:
            select = "d.id"
            order = f"{rank}, d.id DESC" if by_relevance else "d.date DESC NULLS LAST, d.id DESC"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {select} FROM {source} WHERE {where} "  # noqa: S608
                f"ORDER BY {order} LIMIT %s OFFSET %s",
                [*params, limit, offset],
            )
            ids = [row[0] for row in cursor.fetchall()]
        found = SearchDocument.objects.in_bulk(ids)
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
