"""Notices and news: categories, the news index with its feeds, and news items."""

import datetime

from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, PageManager
from wagtail.search import index

from core.pages import RestrictionsMixin, SharingMixin, SitePageQuerySet
from core.pagination import paginate
from deliberation.blocks import BodyBlock
from search.models import Kind


class NewsCategory(models.Model):
    """A category of news (通知公告, 社区动态, …); editors may add their own."""

    name = models.CharField(_("name"), max_length=30, unique=True)
    slug = models.SlugField(
        _("slug"),
        max_length=40,
        unique=True,
        allow_unicode=True,
        help_text=_("The category's part of a web address, e.g. notices."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("sort_order")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("news category")
        verbose_name_plural = _("news categories")

    def __str__(self) -> str:
        return self.name


class NewsPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "news.NewsPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class NewsPageQuerySet(SitePageQuerySet):
    def for_listing(self) -> "NewsPageQuerySet":
        """Published public items, newest first, with what a listing row shows."""
        return (
            self.live()
            .public()
            .select_related("category")
            .order_by(models.F("date").desc(nulls_last=True), "-first_published_at", "-pk")
        )

    def for_home_page(self, limit: int = 6) -> list["NewsPage"]:
        """Pinned notices that are still current first, then the newest items (one query)."""
        still_pinned = models.Q(pinned_until__gte=timezone.localdate())
        pinned_first = models.Case(
            models.When(still_pinned, then=models.Value(0)), default=models.Value(1)
        )
        newest = models.F("date").desc(nulls_last=True)
        return list(self.for_listing().cards().order_by(pinned_first, newest, "-pk")[:limit])


NewsPageManager = PageManager.from_queryset(NewsPageQuerySet)


class NewsIndexPage(RestrictionsMixin, RoutablePageMixin, Page):
    """The list of notices and news, newest first, filterable by category and tag, with RSS
    feeds of everything (``feed/``) and of one category (``feed/<category slug>/``)."""

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    subpage_types = ["news.NewsPage"]
    parent_page_types = ["home.HomePage"]

    class Meta:
        verbose_name = _("news index page")

    def items(self) -> NewsPageQuerySet:
        return NewsPage.objects.child_of(self).for_listing()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        items = self.items()
        categories = list(NewsCategory.objects.all())
        current = next((c for c in categories if c.slug == request.GET.get("category")), None)
        if current:
            items = items.filter(category=current)
        tag = request.GET.get("tag", "").strip()[:100]
        if tag:
            items = items.filter(tags__name=tag)
        context["categories"] = categories
        context["current_category"] = current
        context["current_tag"] = tag
        context["items"] = paginate(request, items.cards(), per_page=20)
        return context

    @path("")
    def index(self, request):
        return self.render(request)

    @path("feed/")
    def feed(self, request):
        from news.feeds import NewsFeed

        return NewsFeed(self)(request)

    @path("feed/<str:category>/")
    def category_feed(self, request, category):
        from news.feeds import NewsFeed

        found = NewsCategory.objects.filter(slug=category).first()
        if found is None:
            raise Http404
        return NewsFeed(self, found)(request)


class NewsPage(RestrictionsMixin, SharingMixin, Page):
    """One notice or news item."""

    share_image_field = "cover_image"

    date = models.DateField(
        _("date"),
        default=datetime.date.today,
        null=True,
        blank=True,
        help_text=_("Empty only for archived articles whose date is unknown."),
    )
    category = models.ForeignKey(
        NewsCategory,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    summary = models.TextField(
        _("summary"),
        blank=True,
        max_length=300,
        help_text=_("One or two sentences shown in lists and when a link is shared."),
    )
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)
    tags = ClusterTaggableManager(through=NewsPageTag, blank=True, verbose_name=_("tags"))
    source = models.CharField(
        _("author or source"),
        max_length=100,
        blank=True,
        help_text=_("e.g. 社区居委会, or the original publication of an imported article."),
    )
    pinned_until = models.DateField(
        _("pin on the home page until"),
        null=True,
        blank=True,
        help_text=_("For important notices (重要通知): shown first on the home page until then."),
    )
    # Which imported file this page came from, so importing it again updates this page.
    import_key = models.CharField(max_length=255, blank=True, db_index=True, editable=False)

    objects = NewsPageManager()
    card_fields = ("date", "category", "summary", "pinned_until")

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("date"), FieldPanel("category")]),
        FieldPanel("summary"),
        FieldPanel("cover_image"),
        FieldPanel("body"),
        InlinePanel("attachments", label=_("Attachments"), heading=_("Attachments")),
        MultiFieldPanel(
            [FieldPanel("tags"), FieldPanel("source"), FieldPanel("pinned_until")],
            heading=_("More about this item"),
        ),
        InlinePanel("related_links", label=_("Related item"), heading=_("Related items")),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]
    archive_kind = Kind.NEWS
    parent_page_types = ["news.NewsIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news items")

    def archive_facts(self) -> dict:
        """The archive's facets of a news item: its date, category and tags."""
        category = self.category.name if self.category_id else ""
        return {
            "date": self.date,
            "category": category,
            "words": [category, *(tag.name for tag in self.tags.all())],
        }

    @classmethod
    def archive_pages(cls, pages):
        return pages.select_related("category").prefetch_related("tags")

    @property
    def is_pinned(self) -> bool:
        """Whether this is an important notice still pinned to the home page."""
        return bool(self.pinned_until and self.pinned_until >= timezone.localdate())

    def related_items(self, limit: int = 3) -> list["NewsPage"]:
        """The items editors linked, else the newest of the same category."""
        linked = list(self.related_links.values_list("related_page_id", flat=True))
        if linked:
            found = NewsPage.objects.for_listing().cards().in_bulk(linked)
            return [found[pk] for pk in linked if pk in found][:limit]
        if self.category_id is None:
            return []
        # The newest of the category: a category belongs to one site's news, so no tree walk
        # (sibling_of) is needed.
        newest = NewsPage.objects.for_listing().cards().filter(category_id=self.category_id)
        return list(newest.exclude(pk=self.pk)[:limit])

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["attachments"] = self.attachments.select_related("document")
        context["related_items"] = self.related_items()
        # The news index is this page's parent: its URL is this one less the last segment
        # (saves a query per view).
        context["index_url"] = self.get_url(request).rsplit("/", 2)[0] + "/"
        return context


class NewsPageAttachment(Orderable):
    """A downloadable file of a news item: a PDF notice, a Word form, an Excel list."""

    page = ParentalKey(NewsPage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [FieldPanel("document")]

    class Meta(Orderable.Meta):
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")


class NewsPageRelatedLink(Orderable):
    """Another news item an editor points readers to."""

    page = ParentalKey(NewsPage, on_delete=models.CASCADE, related_name="related_links")
    related_page = models.ForeignKey(
        NewsPage, verbose_name=_("news item"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("related_page")]

    class Meta(Orderable.Meta):
        verbose_name = _("related item")
        verbose_name_plural = _("related items")
