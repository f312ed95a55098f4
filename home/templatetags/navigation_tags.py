"""The main menu: what editors put in the menu settings, else the home page's menu children."""

from django import template

from wagtail.models import Page, Site

from core.page_cache import remembered
from home.models import NavigationSettings

register = template.Library()


@register.inclusion_tag("includes/main_menu.html", takes_context=True)
def main_menu(context):
    request = context["request"]
    site = Site.find_for_request(request)
    entries = []
    if site:
        remembered_entries = remembered(
            request, f"menu:{site.pk}", lambda: entries_for(site, request)
        )
        entries = [dict(entry) for entry in remembered_entries]
    path = request.path
    for entry in entries:
        url = entry["url"] or ""
        entry["current"] = url.startswith("/") and url != "/" and path.startswith(url)
    return {"entries": entries, "request": request}


def entries_for(site, request) -> list[dict]:
    """The menu as editors set it, else the home page's children shown in menus."""
    entries = []
    for block in NavigationSettings.for_request(request).items:
        link = block.value
        page = link.get("page")
        if page is not None and not page.live:
            continue
        url = page.get_url(request) if page is not None else link.get("url")
        entries.append({"label": link.get("label") or page.title, "url": url})
    if not entries:
        children = Page.objects.child_of(site.root_page).live().public().in_menu()
        entries = [{"label": p.title, "url": p.get_url(request)} for p in children]
    return entries
