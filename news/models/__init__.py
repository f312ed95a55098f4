"""Notices, news and activity posters (re-exported here so ``news.models.X`` keeps working)."""

from news.models.activities import (
    ActivityIndexPage,
    ActivityPage,
    ActivityPageQuerySet,
    SignUp,
    SignUpStatus,
)
from news.models.news import (
    NewsCategory,
    NewsIndexPage,
    NewsPage,
    NewsPageAttachment,
    NewsPageQuerySet,
    NewsPageRelatedLink,
    NewsPageTag,
)

__all__ = [
    "ActivityIndexPage",
    "ActivityPage",
    "ActivityPageQuerySet",
    "NewsCategory",
    "NewsIndexPage",
    "NewsPage",
    "NewsPageAttachment",
    "NewsPageQuerySet",
    "NewsPageRelatedLink",
    "NewsPageTag",
    "SignUp",
    "SignUpStatus",
]
