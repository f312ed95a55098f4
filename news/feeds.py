"""RSS feeds of a news index: every item, or one category's."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Rss201rev2Feed

from news.models import NewsCategory, NewsIndexPage, NewsPage

FEED_LENGTH = 30


class NewsFeed(Feed):
    feed_type = Rss201rev2Feed

    def __init__(self, index: NewsIndexPage, category: NewsCategory | None = None):
        super().__init__()
        self.index = index
        self.category = category

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def title(self) -> str:
        return f"{self.index.title} · {self.category.name}" if self.category else self.index.title

    def link(self) -> str:
        # Absolute from the request, not django.contrib.sites (whose one Site is a placeholder).
        return self.request.build_absolute_uri(self.index.url)

    def description(self) -> str:
        return self.index.introduction or self.index.title

    def items(self) -> list[NewsPage]:
        items = self.index.items()
        if self.category:
            items = items.filter(category=self.category)
        return list(items[:FEED_LENGTH])

    def item_title(self, item: NewsPage) -> str:
        return item.title

    def item_description(self, item: NewsPage) -> str:
        return item.summary

    def item_link(self, item: NewsPage) -> str:
        return self.request.build_absolute_uri(item.get_url(self.request))

    def item_pubdate(self, item: NewsPage):
        return item.first_published_at

    def item_categories(self, item: NewsPage) -> list[str]:
        return [item.category.name] if item.category else []
