"""The site's page tree: the home page the migrations made, the index pages under it, and the
pages editors write (extended with news, activities and standard pages as suites need them)."""

from dataclasses import dataclass

from wagtail.models import Page, Site

from deliberation.models import DeliberationIndexPage
from home.models import HomePage
from news.models import ActivityIndexPage, NewsIndexPage

__all__ = ["SiteTree", "publish_child", "site_tree"]


@dataclass
class SiteTree:
    home: HomePage
    news: NewsIndexPage
    activities: ActivityIndexPage
    deliberation: DeliberationIndexPage


def publish_child(parent: Page, page: Page) -> Page:
    """Add ``page`` under ``parent`` and publish it, as an editor's approved page is."""
    parent.add_child(instance=page)
    page.save_revision(log_action=False).publish(log_action=False)
    return page


def _index(home: HomePage, model: type[Page], slug: str, title: str) -> Page:
    existing = model.objects.child_of(home).filter(slug=slug).first()
    return existing or publish_child(home, model(slug=slug, title=title, show_in_menus=True))


def site_tree() -> SiteTree:
    """The home page and the three index pages at the demo's addresses (/news/, /activities/,
    /yishiting/), created once per test."""
    home = HomePage.objects.first()
    site = Site.objects.get(is_default_site=True)
    if site.root_page_id != home.pk:
        site.root_page = home
        site.save()
    return SiteTree(
        home=home,
        news=_index(home, NewsIndexPage, "news", "通知公告"),
        activities=_index(home, ActivityIndexPage, "activities", "社区活动"),
        deliberation=_index(home, DeliberationIndexPage, "yishiting", "议事厅"),
    )
