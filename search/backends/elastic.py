"""The archive searched in Elasticsearch, for a deployment that outgrows the database.

Documents, mapping and queries are written with ``elasticsearch.dsl``. Text arrives already
segmented by ``search.segmentation`` (the same words as the database backend), so the mapping
needs only the built-in ``whitespace`` tokenizer and a ``lowercase`` filter: a stock cluster
without the IK or smartcn plugins works. Highlights come from the engine, on the segmented
field; the spaces between Chinese words are taken out again before they are shown.
"""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

from elasticsearch.dsl import (
    Date,
    Document,
    Integer,
    Keyword,
    Q,
    Search,
    Text,
    analyzer,
    connections,
)

from search.backends import FACETS, Hit, SearchRequest, SearchResponse, make_snippet
from search.models import SearchDocument
from search.segmentation import highlight_terms, query_terms

PRESEGMENTED = analyzer("presegmented", tokenizer="whitespace", filter=["lowercase"])
CONNECTION = "archive"
MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"  # private-use marks, escaped around afterwards
HAN = r"[\u3400-\u9fff\uf900-\ufaff]"


class ArchiveDocument(Document):
    """One public page: the same fields as ``search.models.SearchDocument``."""

    title = Keyword(index=False)
    url = Keyword(index=False)
    kind = Keyword()
    date = Date()
    year = Integer()
    category = Keyword()
    stage = Keyword()
    result = Keyword()
    text = Text(index=False)
    segmented_title = Text(analyzer=PRESEGMENTED)
    segmented_text = Text(analyzer=PRESEGMENTED, term_vector="with_positions_offsets")

    class Index:
        name = "yishiting-archive"
        settings = {"number_of_shards": 1, "number_of_replicas": 0}

    @classmethod
    def from_model(cls, document: SearchDocument) -> "ArchiveDocument":
        return cls(
            meta={"id": document.page_id},
            title=document.title,
            url=document.url,
            kind=document.kind,
            date=document.date,
            year=document.year,
            category=document.category,
            stage=document.stage,
            result=document.result,
            text=document.text,
            segmented_title=document.segmented_title,
            segmented_text=document.segmented_text,
        )


def build_search(request: SearchRequest, index: str) -> Search:
    """The query body for ``request``: every word required (title weighted), the facet filters,
    a terms aggregation per facet, highlights, sorting and the page window."""
    words = " ".join(query_terms(request.query))
    search = Search(index=index).query(
        Q(
            "multi_match",
            query=words,
            fields=["segmented_title^4", "segmented_text"],
            type="cross_fields",
            operator="and",
        )
    )
    for name, value in request.filters.items():
        search = search.filter("term", **{name: value})
    for name in FACETS:
        search.aggs.bucket(name, "terms", field=name, size=50)
    search = search.highlight(
        "segmented_text",
        fragment_size=120,
        number_of_fragments=1,
        pre_tags=[MARK_OPEN],
        post_tags=[MARK_CLOSE],
        no_match_size=120,
    )
    if request.sort == "date":
        search = search.sort({"date": {"order": "desc", "missing": "_last"}}, "_score")
    search = search.extra(track_total_hits=True)
    return search[request.offset : request.offset + request.per_page]


def joined(fragment: str) -> str:
    """Segmented text back to how it is written: no spaces between Chinese characters (marks
    count as transparent)."""
    marks = f"[{MARK_OPEN}{MARK_CLOSE}]*"
    return re.sub(rf"(?<={HAN}){marks}\s+(?={marks}{HAN})", lambda m: m.group(0).strip(), fragment)


def highlighted(fragment: str):
    text = escape(joined(fragment))
    return mark_safe(text.replace(MARK_OPEN, "<mark>").replace(MARK_CLOSE, "</mark>"))  # noqa: S308


class ElasticsearchBackend:
    name = "elasticsearch"

    def __init__(self, config: dict):
        self.index = config["INDEX"]
        connections.create_connection(
            alias=CONNECTION, hosts=[config["URL"]], request_timeout=config["TIMEOUT"]
        )

    def _index(self):
        return ArchiveDocument._index.clone(name=self.index, using=CONNECTION)

    def add(self, documents) -> None:
        from elasticsearch.helpers import bulk

        actions = [
            ArchiveDocument.from_model(d).to_dict(include_meta=True, skip_empty=False)
            for d in documents
        ]
        for action in actions:
            action["_index"] = self.index
        bulk(connections.get_connection(CONNECTION), actions, refresh="wait_for")

    def remove(self, page_ids) -> None:
        from elasticsearch.helpers import bulk

        actions = [{"_op_type": "delete", "_index": self.index, "_id": pk} for pk in page_ids]
        bulk(connections.get_connection(CONNECTION), actions, raise_on_error=False)

    def rebuild(self, chunk: int = 1000) -> int:
        index = self._index()
        index.delete(ignore_unavailable=True)
        index.create()
        count = 0
        documents = SearchDocument.objects.order_by("pk")
        batch = []
        for document in documents.iterator(chunk_size=chunk):
            batch.append(document)
            if len(batch) >= chunk:
                self.add(batch)
                count, batch = count + len(batch), []
        self.add(batch)
        index.refresh()
        return count + len(batch)

    def search(self, request: SearchRequest) -> SearchResponse:
        if not query_terms(request.query):
            return SearchResponse(total=0, hits=[], facets={name: [] for name in FACETS})
        response = build_search(request, self.index).using(CONNECTION).execute()
        marks = highlight_terms(request.query)
        hits = []
        for hit in response:
            fragments = getattr(getattr(hit.meta, "highlight", None), "segmented_text", None)
            hits.append(
                Hit(
                    page_id=int(hit.meta.id),
                    title=hit.title,
                    url=hit.url,
                    kind=hit.kind,
                    date=hit.date.date() if getattr(hit, "date", None) else None,
                    snippet=highlighted(fragments[0])
                    if fragments
                    else make_snippet(hit.text or hit.title, marks),
                    stage=getattr(hit, "stage", ""),
                    result=getattr(hit, "result", ""),
                )
            )
        facets = {
            name: [(str(b.key), b.doc_count) for b in response.aggregations[name].buckets]
            for name in FACETS
        }
        return SearchResponse(total=response.hits.total.value, hits=hits, facets=facets)
