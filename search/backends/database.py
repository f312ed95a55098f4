"""The archive searched in the database: SQLite FTS5 or PostgreSQL full text over the segmented
columns of ``SearchDocument`` (see migration 0002), with no extension and no extra service.

Two queries per search, whatever the number of matches: one reads the facet columns of every
match (counted here; a few bytes a row), one reads the ranked page of results. Wagtail's own
database backend over the same documents took 4.8 s a query at 10,000 documents on SQLite — it
runs the match again for every row to rank it — hence these few lines of SQL of our own
(bench/README.md).
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


def _match(terms: list[str]) -> tuple[str, str, list, str]:
    """FROM, WHERE, parameters and the rank expression for every term being required."""
    if connection.vendor == "sqlite":
        expression = " AND ".join('"{}"'.format(term.replace('"', '""')) for term in terms)
        return (
            f"search_document_fts JOIN {TABLE} d ON d.id = search_document_fts.rowid",
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
        source, where, params, rank = _match(terms)
        for name, value in request.filters.items():
            if name not in FACETS:
                continue
            where += f" AND d.{name} = %s"
            params.append(int(value) if name == "year" else value)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT d.kind, d.year, d.category, d.stage FROM {source} WHERE {where}",  # noqa: S608
                params,
            )
            rows = cursor.fetchall()
        total = len(rows)
        facets = {}
        for position, name in enumerate(FACETS):
            counted = Counter(row[position] for row in rows if row[position] not in ("", None))
            facets[name] = [(str(value), count) for value, count in counted.most_common()]
        by_relevance = request.sort == "relevance"
        end = request.offset + request.per_page
        rerank = by_relevance and len(terms) > 1 and end <= PHRASE_RERANK_DEPTH
        order = f"{rank}, d.id DESC" if by_relevance else "d.date DESC NULLS LAST, d.id DESC"
        limit, offset = (PHRASE_RERANK_DEPTH, 0) if rerank else (request.per_page, request.offset)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT d.id FROM {source} WHERE {where} ORDER BY {order} LIMIT %s OFFSET %s",  # noqa: S608
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
