"""One interface to the archive's search, whatever answers it.

``get_backend()`` is the database (Wagtail's database search backend over ``SearchDocument``)
unless ``ELASTICSEARCH_URL`` is set, then Elasticsearch. Both take a ``SearchRequest`` and answer
a ``SearchResponse``, segment the query with ``search.segmentation`` and require every word.
"""

from dataclasses import dataclass, field
from datetime import date
from functools import cache

from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from search.segmentation import normalise

FACETS = ("kind", "year", "category", "stage")
SORTS = ("relevance", "date")


@dataclass
class SearchRequest:
    query: str
    filters: dict[str, str] = field(default_factory=dict)  # facet name → chosen value
    sort: str = "relevance"
    page: int = 1
    per_page: int = 10

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


@dataclass
class Hit:
    page_id: int
    title: str
    url: str
    kind: str
    date: date | None
    snippet: SafeString
    stage: str = ""
    result: str = ""


@dataclass
class SearchResponse:
    total: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]]  # facet name → [(value, count)], largest first


@cache
def get_backend():
    if settings.SEARCH_ELASTICSEARCH:
        from search.backends.elastic import ElasticsearchBackend

        return ElasticsearchBackend(settings.SEARCH_ELASTICSEARCH)
    from search.backends.database import DatabaseBackend

    return DatabaseBackend()


def make_snippet(text: str, terms: list[str], width: int = 90) -> SafeString:
    """About ``width`` characters of ``text`` around the first match, escaped, with every match
    of ``terms`` (compared normalised: full-width, case, traditional forms) in ``<mark>``."""
    chars: list[str] = []
    origin: list[int] = []
    for position, ch in enumerate(text):
        for folded in normalise(ch):
            chars.append(folded)
            origin.append(position)
    folded_text = "".join(chars)
    spans: list[tuple[int, int]] = []
    for term in terms:
        start = folded_text.find(term)
        while term and start != -1:
            spans.append((origin[start], origin[start + len(term) - 1] + 1))
            start = folded_text.find(term, start + len(term))
    spans.sort()
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    begin = max(0, merged[0][0] - width // 3) if merged else 0
    end = min(len(text), begin + width)
    out = ["…" if begin else ""]
    cursor = begin
    for start, stop in merged:
        if stop <= begin or start >= end:
            continue
        start, stop = max(start, begin), min(stop, end)
        out.append(escape(text[cursor:start]))
        out.append(f"<mark>{escape(text[start:stop])}</mark>")
        cursor = stop
    out.append(escape(text[cursor:end]))
    out.append("…" if end < len(text) else "")
    return mark_safe(" ".join("".join(out).split()))  # noqa: S308 — every piece escaped above
