"""The search page (and its JSON twin) and the archive by year and type.

Every parameter is read defensively: an unknown facet value, a page past the end, a query of
punctuation only — each gives a page with a helpful message, never a 500.
"""

import math

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from core.numbers import request_int
from search import facets
from search.backends import FACETS, SORTS, SearchRequest, get_backend
from search.models import Kind, SearchDocument

MAX_QUERY_LENGTH = 100
PER_PAGE = 10


def _year(value: str) -> str | None:
    year = request_int(value, minimum=1900, maximum=2100)
    return None if year is None else str(year)


def read_filters(params) -> dict[str, str]:
    """The facet filters a request asks for, keeping only values that can exist."""
    checks = {
        "kind": lambda v: v if v in Kind.values else None,
        "year": _year,
        "category": lambda v: v if 0 < len(v) <= 60 else None,
        "stage": lambda v: v if facets.is_known("stage", v) else None,
    }
    chosen = {}
    for name in FACETS:
        value = checks[name](params.get(name, "").strip())
        if value is not None:
            chosen[name] = value
    return chosen


def facet_label(name: str, value: str) -> str:
    if name == "kind":
        return str(Kind(value).label) if value in Kind.values else value
    return facets.label(name, value)


def result_label(value: str) -> str:
    """A sealed result's outcome as its app words it (registered as the "result" facet's
    values); nothing for none or an unknown one."""
    return facets.label("result", value) if facets.is_known("result", value) else ""


def search(request):
    query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY_LENGTH]
    sort = request.GET.get("sort", "relevance")
    sort = sort if sort in SORTS else "relevance"
    page = request_int(request.GET.get("page"), minimum=1, maximum=9_999) or 1
    filters = read_filters(request.GET)
    backend = get_backend()
    response = None
    if query:
        response = backend.search(SearchRequest(query, filters, sort, page, PER_PAGE))
        last = max(1, math.ceil(response.total / PER_PAGE))
        if page > last:  # past the end: the last page, as listings do
            page = last
            response = backend.search(SearchRequest(query, filters, sort, page, PER_PAGE))
    if request.GET.get("format") == "json":
        return JsonResponse(_as_json(query, response), json_dumps_params={"ensure_ascii": False})
    facets = []
    if response is not None:
        for name in FACETS:
            values = [
                {
                    "value": value,
                    "label": facet_label(name, value),
                    "count": count,
                    "chosen": filters.get(name) == value,
                    "url": _toggled(request, name, value),
                }
                for value, count in response.facets[name]
            ]
            if name == "year":
                values.sort(key=lambda v: v["value"], reverse=True)
            if values:
                facets.append({"name": name, "title": FACET_TITLES[name], "values": values})
    pages = max(1, math.ceil(response.total / PER_PAGE)) if response else 1
    return TemplateResponse(
        request,
        "search/search.html",
        {
            "query": query,
            "response": response,
            "hits": [_hit_for_template(hit) for hit in response.hits] if response else [],
            "facets": facets,
            "filters": filters,
            "sort": sort,
            "page_number": page,
            "page_count": pages,
        },
    )


def _toggled(request, name: str, value: str) -> str:
    """This page's address with the facet value chosen, or removed if it was, on page one."""
    params = request.GET.copy()
    params.pop("page", None)
    if params.get(name) == value:
        params.pop(name)
    else:
        params[name] = value
    return f"?{params.urlencode()}"


FACET_TITLES = {
    "kind": _("Type"),
    "year": _("Year"),
    "category": _("Category"),
    "stage": _("Stage"),
}


def _hit_for_template(hit) -> dict:
    return {
        "title": hit.title,
        "url": hit.url,
        "kind": facet_label("kind", hit.kind),
        "date": hit.date,
        "snippet": hit.snippet,
        "stage": facet_label("stage", hit.stage) if hit.stage else "",
        "result": result_label(hit.result),
    }


def _as_json(query: str, response) -> dict:
    if response is None:
        return {"query": query, "total": 0, "results": [], "facets": {}}
    return {
        "query": query,
        "total": response.total,
        "results": [
            {
                "title": hit.title,
                "url": hit.url,
                "type": hit.kind,
                "date": hit.date.isoformat() if hit.date else None,
                "snippet": str(hit.snippet),
            }
            for hit in response.hits
        ],
        "facets": {
            name: [
                {"value": value, "label": facet_label(name, value), "count": count}
                for value, count in response.facets[name]
            ]
            for name in FACETS
        },
    }


def archive(request):
    """Everything public by year and type, for people who browse rather than search."""
    years = {}
    for row in (
        SearchDocument.objects.exclude(year=None)
        .values("year", "kind")
        .annotate(count=Count("pk"))
        .order_by("-year", "kind")
    ):
        years.setdefault(row["year"], []).append(
            {"kind": row["kind"], "label": facet_label("kind", row["kind"]), "count": row["count"]}
        )
    year = _year(request.GET.get("year", ""))
    kind = request.GET.get("kind", "")
    kind = kind if kind in Kind.values else ""
    listing = None
    if year:
        documents = SearchDocument.objects.filter(year=int(year)).order_by("-date", "-pk")
        if kind:
            documents = documents.filter(kind=kind)
        listing = Paginator(
            documents.only("page_id", "title", "url", "kind", "date", "stage", "result"), 30
        ).get_page(request_int(request.GET.get("page"), minimum=1))
        for document in listing:
            document.kind_label = facet_label("kind", document.kind)
            document.stage_label = facet_label("stage", document.stage) if document.stage else ""
            document.result_label = result_label(document.result)
            document.seals = []
        facets.note_listing(list(listing))
    return TemplateResponse(
        request,
        "search/archive.html",
        {
            "years": list(years.items()),
            "year": int(year) if year else None,
            "kind": kind,
            "kinds": Kind.choices,
            "listing": listing,
        },
    )
