"""The public search page.

A plain first version over Wagtail's configured backend; Chinese segmentation, facets and
highlighting come with the search work (see DESIGN.md, "Search and the archive").
"""

from django.template.response import TemplateResponse

from wagtail.models import Page

from home.pagination import paginate

MAX_QUERY_LENGTH = 100


def search(request):
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    results = (
        Page.objects.live().public().specific().search(query) if query else Page.objects.none()
    )
    return TemplateResponse(
        request,
        "search/search.html",
        {"query": query, "results": paginate(request, results, per_page=20)},
    )
