"""The site's page tree: the home page the migrations made, the index pages under it, and the
pages editors write — notices, activities, standard pages — with the images, documents, the
community profile and the main menu they show.

Page factories publish through ``publish_child`` (a revision, then publish, as an approved page
is) under the index page at the demo's address; ``parent=`` puts a page elsewhere,
``publish=False`` leaves it a draft, ``tags=[...]`` tags it.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Site
from wagtail.signal_handlers import disable_reference_index_auto_update

import factory
from factory.django import DjangoModelFactory

from deliberation.models import DeliberationIndexPage
from home.models import CommunitySettings, HomePage, NavigationSettings, StandardPage
from news.models import ActivityIndexPage, ActivityPage, NewsCategory, NewsIndexPage, NewsPage

__all__ = [
    "ActivityPageFactory",
    "DocumentFactory",
    "ImageFactory",
    "NewsPageFactory",
    "SiteTree",
    "StandardPageFactory",
    "news_category",
    "community_settings",
    "configured_site",
    "main_menu",
    "publish_child",
    "site_tree",
]


@dataclass
class SiteTree:
    home: HomePage
    news: NewsIndexPage
    activities: ActivityIndexPage
    deliberation: DeliberationIndexPage


def publish_child(parent: Page, page: Page) -> Page:
    """Add ``page`` under ``parent`` and publish it, as an editor's approved page is.

    Wagtail's reference index (which page uses which image or snippet, for the admin's usage
    counts) is not kept for the pages tests build: it costs more than the rest of building a
    page, and no test reads it for a page it built."""
    with disable_reference_index_auto_update():
        parent.add_child(instance=page)
        page.save_revision(log_action=False).publish(log_action=False)
    return page


def _index(home: HomePage, model: type[Page], slug: str, title: str) -> Page:
    """An index page, live from the start: it has no content of its own to publish, so it is
    made without a revision (three of them per test would cost more than most tests)."""
    existing = model.objects.child_of(home).filter(slug=slug).first()
    if existing:
        return existing
    page = model(slug=slug, title=title, show_in_menus=True, live=True)
    with disable_reference_index_auto_update():
        home.add_child(instance=page)
    return page


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


def news_category(slug: str) -> NewsCategory:
    """One of the five categories the migrations made (notices, updates, guides, culture,
    tips)."""
    return NewsCategory.objects.get(slug=slug)


# Pages -----------------------------------------------------------------------------------------


class _PageFactory(DjangoModelFactory):
    """A page added under ``parent`` (default: the section's index page) and published."""

    class Meta:
        abstract = True

    parent = None
    publish = True
    tags = ()

    @classmethod
    def default_parent(cls) -> Page:
        raise NotImplementedError

    @classmethod
    def _build(cls, model_class, *args, parent=None, publish=True, tags=(), **kwargs):
        return model_class(**kwargs)

    @classmethod
    def _create(cls, model_class, *args, parent=None, publish=True, tags=(), **kwargs):
        page = model_class(**kwargs)
        if tags:
            page.tags.add(*tags)
        parent = parent or cls.default_parent()
        if publish:
            publish_child(parent, page)
        else:
            page.live = False
            with disable_reference_index_auto_update():
                parent.add_child(instance=page)
                page.save_revision(log_action=False)
        # Read back as every other part of the site will see it (url, revisions, live state).
        return model_class.objects.get(pk=page.pk)


class NewsPageFactory(_PageFactory):
    """A published notice under /news/, dated today; ``category=news_category("tips")`` files it."""

    class Meta:
        model = NewsPage

    title = factory.Sequence(lambda n: f"社区通知 {n + 1}")
    slug = factory.Sequence(lambda n: f"notice-{n + 1}")
    date = factory.LazyFunction(timezone.localdate)
    summary = factory.LazyAttribute(lambda page: f"{page.title}的摘要。")

    @classmethod
    def default_parent(cls) -> Page:
        return site_tree().news


class ActivityPageFactory(_PageFactory):
    """A published activity under /activities/, three days from now, two hours long, with
    unlimited places unless ``capacity=`` says otherwise."""

    class Meta:
        model = ActivityPage

    title = factory.Sequence(lambda n: f"社区活动 {n + 1}")
    slug = factory.Sequence(lambda n: f"activity-{n + 1}")
    start = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=3))
    end = factory.LazyAttribute(lambda page: page.start + datetime.timedelta(hours=2))
    place = "社区活动室"
    capacity = None

    @classmethod
    def default_parent(cls) -> Page:
        return site_tree().activities


class StandardPageFactory(_PageFactory):
    """A published standard page (办事指南 and the like) under the home page."""

    class Meta:
        model = StandardPage

    title = factory.Sequence(lambda n: f"说明 {n + 1}")
    slug = factory.Sequence(lambda n: f"page-{n + 1}")
    show_in_menus = True

    @classmethod
    def default_parent(cls) -> Page:
        return site_tree().home


# Images and documents --------------------------------------------------------------------------


class ImageFactory(DjangoModelFactory):
    """A small generated PNG in the root collection."""

    class Meta:
        model = get_image_model()

    title = factory.Sequence(lambda n: f"插图 {n + 1}")
    file = factory.django.ImageField(width=120, height=80, color="orange", filename="picture.png")


class DocumentFactory(DjangoModelFactory):
    """A small PDF in the root collection; ``file__filename=`` / ``file__data=`` change it."""

    class Meta:
        model = get_document_model()

    title = factory.Sequence(lambda n: f"附件 {n + 1}")
    file = factory.django.FileField(filename="form.pdf", data=b"%PDF-1.4 test")


# The community profile and the main menu -------------------------------------------------------


def community_settings(**fields) -> CommunitySettings:
    """The default site's community profile (the footer, the contact details) with ``fields``."""
    profile = CommunitySettings.for_site(Site.objects.get(is_default_site=True))
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.save()
    return profile


def main_menu(*entries: Page | tuple[str, str]) -> NavigationSettings:
    """The main menu, in order: a page (shown under its own title) or (label, address)."""
    menu = NavigationSettings.for_site(Site.objects.get(is_default_site=True))
    menu.items = [
        (
            "link",
            {"page": entry, "label": "", "url": ""}
            if isinstance(entry, Page)
            else {"page": None, "label": entry[0], "url": entry[1]},
        )
        for entry in entries
    ]
    menu.save()
    return menu


def configured_site() -> SiteTree:
    """The site tree with the community profile and the main menu saved, as on a running site
    (a first visit to a site without them saves them, and every remembered lookup starts over)."""
    tree = site_tree()
    community_settings(name="幸福里社区")
    main_menu(tree.news, tree.activities, tree.deliberation)
    return tree
