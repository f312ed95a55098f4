"""News and activity listings: what residents see, in what order, in how many queries."""

import datetime

from django.test import Client
from django.utils import timezone

import pytest

from news.models import ActivityIndexPage, ActivityPage, NewsCategory, NewsPage
from tests.factories import (
    ActivityPageFactory,
    NewsPageFactory,
    StandardPageFactory,
    configured_site,
    news_category,
)

pytestmark = pytest.mark.django_db


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


@pytest.fixture
def water_outage() -> NewsPage:
    return NewsPageFactory(
        slug="water-outage-building-3",
        title="3号楼二次供水设备检修停水通知",
        category=news_category("notices"),
        date=days_ago(1),
        pinned_until=timezone.localdate() + datetime.timedelta(days=5),
    )


@pytest.fixture
def clothes_poles() -> NewsPage:
    return NewsPageFactory(
        slug="clothes-poles",
        title="晾衣杆安装注意事项",
        category=news_category("tips"),
        date=days_ago(18),
    )


def test_news_index_lists_newest_first_and_filters_by_category(water_outage, clothes_poles):
    html = Client().get("/news/").content.decode()
    assert html.index("3号楼二次供水设备检修停水通知") < html.index("晾衣杆安装注意事项")
    filtered = Client().get("/news/?category=tips").content.decode()
    assert "晾衣杆安装注意事项" in filtered
    assert "3号楼二次供水设备检修停水通知" not in filtered


def test_unpublished_news_never_appears_in_lists_or_home(water_outage):
    item = water_outage
    item.unpublish(log_action=False)
    assert item.title not in Client().get("/news/").content.decode()
    assert item.title not in Client().get("/").content.decode()


def test_pinned_notice_leads_the_home_page_until_its_date(water_outage, clothes_poles):
    NewsPageFactory.create_batch(6, date=days_ago(3))  # newer than the old tip
    old = clothes_poles
    old.pinned_until = timezone.localdate() + datetime.timedelta(days=1)
    old.save_revision().publish()
    assert NewsPage.objects.for_home_page(limit=3)[0].pk in {
        old.pk,
        NewsPage.objects.get(slug="water-outage-building-3").pk,
    }
    old.pinned_until = timezone.localdate() - datetime.timedelta(days=1)
    old.save_revision().publish()
    assert old.pk not in [p.pk for p in NewsPage.objects.for_home_page(limit=6)]


def test_activity_index_shows_upcoming_before_past():
    ActivityPageFactory(title="老年人智能手机课堂", capacity=20)
    past = timezone.now() - datetime.timedelta(days=20)
    ActivityPageFactory(title="中秋邻里联欢会", start=past, end=past + datetime.timedelta(hours=2))
    html = Client().get("/activities/").content.decode()
    assert html.index("老年人智能手机课堂") < html.index("中秋邻里联欢会")


def test_activity_cannot_end_before_it_starts(db):
    from django.core.exceptions import ValidationError

    start = timezone.now()
    activity = ActivityPage(
        title="x", slug="x", start=start, end=start - datetime.timedelta(hours=1), place="活动室"
    )
    with pytest.raises(ValidationError):
        activity.full_clean()


def test_news_index_renders_in_a_constant_number_of_queries(
    django_assert_max_num_queries, settings
):
    settings.PAGE_CACHE_SECONDS = 0  # measure the page's rendering, not the anonymous cache
    configured_site()
    StandardPageFactory(slug="guide")
    for slug in ("notices", "updates", "tips"):
        NewsPageFactory.create_batch(3, category=news_category(slug), tags=["通知"])
    index = NewsPage.objects.first().get_parent()
    category = NewsCategory.objects.first()
    client = Client()
    client.get("/guide/")  # the site-wide fragments (settings, menu), as on a running site
    with django_assert_max_num_queries(12):
        client.get("/news/")
    for number in range(30):
        page = NewsPage(title=f"补充通知 {number}", slug=f"extra-{number}", category=category)
        index.add_child(instance=page)
    client.get("/guide/")
    with django_assert_max_num_queries(12):
        assert client.get("/news/").status_code == 200


def test_activity_index_queries_do_not_grow_with_activities(django_assert_max_num_queries):
    configured_site()
    ActivityPageFactory.create_batch(3, capacity=20)
    index = ActivityIndexPage.objects.get()
    start = timezone.now() + datetime.timedelta(days=2)
    for number in range(20):
        index.add_child(
            instance=ActivityPage(
                title=f"活动 {number}",
                slug=f"a-{number}",
                start=start,
                end=start + datetime.timedelta(hours=1),
                place="活动室",
            )
        )
    client = Client()
    client.get("/activities/")  # warm the per-process caches (site root paths)
    with django_assert_max_num_queries(14):
        assert client.get("/activities/").status_code == 200
