"""The archive searched in the database: Wagtail's database search backend (SQLite FTS5 or
PostgreSQL full text) over the segmented fields of ``SearchDocument``."""

from wagtail.search.backends import get_search_backend

from search.backends import FACETS, Hit, SearchRequest, SearchResponse, make_snippet
from search.models import SearchDocument
from search.segmentation import highlight_terms, normalise, query_terms

# The database ranks by word frequency only; among its best this many, the pages holding the
# query as typed (the phrase, not just its words) come first.
PHRASE_RERANK_DEPTH = 50


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


class DatabaseBackend:
    name = "database"

    def add(self, documents) -> None:
        """Nothing to do: saving a ``SearchDocument`` updates Wagtail's index."""

    def remove(self, page_ids) -> None:
        """Nothing to do: deleting a ``SearchDocument`` removes its index entry."""

    def rebuild(self, chunk: int = 1000) -> int:
        index = get_search_backend().get_index_for_model(SearchDocument)
        ids = list(SearchDocument.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), chunk):
            index.add_items(
                SearchDocument, SearchDocument.objects.filter(pk__in=ids[start : start + chunk])
            )
        if hasattr(index, "delete_stale_model_entries"):
            index.delete_stale_model_entries(SearchDocument)
        return len(ids)

    def _matches(self, terms: list[str], filters: dict[str, str], by_relevance: bool):
        documents = SearchDocument.objects.filter(**filters)
        if not by_relevance:
            documents = documents.order_by("-date", "-id")
        return documents.search(" ".join(terms), operator="and", order_by_relevance=by_relevance)

    def search(self, request: SearchRequest) -> SearchResponse:
        terms = query_terms(request.query)
        if not terms:
            return SearchResponse(total=0, hits=[], facets={name: [] for name in FACETS})
        by_relevance = request.sort == "relevance"
        results = self._matches(terms, request.filters, by_relevance)
        total = results.count()
        end = request.offset + request.per_page
        if by_relevance and len(terms) > 1 and end <= PHRASE_RERANK_DEPTH:
            window = phrase_first(list(results[:PHRASE_RERANK_DEPTH]), request.query)
            window = window[request.offset : end]
        else:
            window = list(results[request.offset : end])
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
        facets = {}
        for name in FACETS:
            counted = results.facet(name) if total else {}
            facets[name] = [
                (str(value), count) for value, count in counted.items() if value not in ("", None)
            ]
        return SearchResponse(total=total, hits=hits, facets=facets)
