"""Notices, news and activity posters."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page, PageManager, PageQuerySet
from wagtail.search import index

from home.blocks import BaseStreamBlock
from home.pagination import paginate


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


class NewsPageQuerySet(PageQuerySet):
    def for_listing(self) -> "NewsPageQuerySet":
        """Published public items, newest first, with what a listing row shows."""
        return (
            self.live()
            .public()
            .select_related("category", "cover_image")
            .order_by("-date", "-first_published_at", "-pk")
        )

    def for_home_page(self, limit: int = 6) -> list["NewsPage"]:
        """Pinned notices that are still current first, then the newest items (one query)."""
        still_pinned = models.Q(pinned_until__gte=timezone.localdate())
        pinned_first = models.Case(
            models.When(still_pinned, then=models.Value(0)), default=models.Value(1)
        )
        return list(self.for_listing().order_by(pinned_first, "-date", "-pk")[:limit])


NewsPageManager = PageManager.from_queryset(NewsPageQuerySet)


class NewsIndexPage(Page):
    """The list of notices and news, newest first, filterable by category."""

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    subpage_types = ["news.NewsPage"]
    parent_page_types = ["home.HomePage"]

    class Meta:
        verbose_name = _("news index page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        items = NewsPage.objects.child_of(self).for_listing()
        categories = list(NewsCategory.objects.all())
        current = next((c for c in categories if c.slug == request.GET.get("category")), None)
        if current:
            items = items.filter(category=current)
        context["categories"] = categories
        context["current_category"] = current
        context["items"] = paginate(request, items, per_page=20)
        return context


class NewsPage(Page):
    """One notice or news item."""

    date = models.DateField(_("date"), default=datetime.date.today)
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
    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True)
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

    objects = NewsPageManager()

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("date"), FieldPanel("category")]),
        FieldPanel("summary"),
        FieldPanel("cover_image"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("tags"), FieldPanel("source"), FieldPanel("pinned_until")],
            heading=_("More about this item"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]
    parent_page_types = ["news.NewsIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news items")

    @property
    def is_pinned(self) -> bool:
        """Whether this is an important notice still pinned to the home page."""
        return bool(self.pinned_until and self.pinned_until >= timezone.localdate())


class ActivityPageQuerySet(PageQuerySet):
    def for_listing(self) -> "ActivityPageQuerySet":
        return self.live().public().select_related("poster")

    def upcoming(self, limit: int | None = None):
        """Activities that have not ended yet, soonest first."""
        items = self.for_listing().filter(end__gte=timezone.now()).order_by("start", "pk")
        return list(items[:limit]) if limit else items

    def past(self):
        return self.for_listing().filter(end__lt=timezone.now()).order_by("-start", "-pk")


ActivityPageManager = PageManager.from_queryset(ActivityPageQuerySet)


class ActivityIndexPage(Page):
    """Activity posters: upcoming ones first, then past ones."""

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    subpage_types = ["news.ActivityPage"]
    parent_page_types = ["home.HomePage"]

    class Meta:
        verbose_name = _("activity index page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        activities = ActivityPage.objects.child_of(self)
        context["upcoming"] = activities.upcoming()
        context["past"] = paginate(request, activities.past(), per_page=12)
        return context


class ActivityPage(Page):
    """An activity poster (活动海报): what, when, where, and who organises it."""

    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=120)
    organiser = models.CharField(_("organiser"), max_length=100, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        help_text=_("How many people can take part. Empty: no limit."),
    )
    summary = models.TextField(_("summary"), blank=True, max_length=300)
    poster = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("poster"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BaseStreamBlock(), verbose_name=_("details"), blank=True)

    objects = ActivityPageManager()

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
        FieldRowPanel([FieldPanel("place"), FieldPanel("organiser")]),
        FieldPanel("capacity"),
        FieldPanel("summary"),
        FieldPanel("poster"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("place"),
        index.SearchField("body"),
        index.FilterField("start"),
    ]
    parent_page_types = ["news.ActivityIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="activity_ends_after_start"
            )
        ]

    def clean(self):
        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("An activity cannot end before it starts.")})

    @property
    def is_past(self) -> bool:
        return self.end < timezone.now()
