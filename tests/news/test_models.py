"""News and activity listings: what residents see, in what order, in how many queries."""

import datetime

from django.test import Client
from django.utils import timezone

import pytest

from news.models import ActivityIndexPage, ActivityPage, NewsCategory, NewsPage

pytestmark = pytest.mark.django_db


def test_news_index_lists_newest_first_and_filters_by_category(demo):
    html = Client().get("/news/").content.decode()
    assert html.index("3号楼二次供水设备检修停水通知") < html.index("晾衣杆安装注意事项")
    filtered = Client().get("/news/?category=tips").content.decode()
    assert "晾衣杆安装注意事项" in filtered
    assert "3号楼二次供水设备检修停水通知" not in filtered


def test_unpublished_news_never_appears_in_lists_or_home(demo):
    item = NewsPage.objects.get(slug="water-outage-building-3")
    item.unpublish(log_action=False)
    assert item.title not in Client().get("/news/").content.decode()
    assert item.title not in Client().get("/").content.decode()


def test_pinned_notice_leads_the_home_page_until_its_date(demo):
    old = NewsPage.objects.get(slug="clothes-poles")
    old.pinned_until = timezone.localdate() + datetime.timedelta(days=1)
    old.save_revision().publish()
    assert NewsPage.objects.for_home_page(limit=3)[0].pk in {
        old.pk,
        NewsPage.objects.get(slug="water-outage-building-3").pk,
    }
    old.pinned_until = timezone.localdate() - datetime.timedelta(days=1)
    old.save_revision().publish()
    assert old.pk not in [p.pk for p in NewsPage.objects.for_home_page(limit=6)]


def test_activity_index_shows_upcoming_before_past(demo):
    html = Client().get("/activities/").content.decode()
    assert html.index("老年人智能手机课堂") < html.index("中秋邻里联欢会")


def test_activity_cannot_end_before_it_starts(demo):
    from django.core.exceptions import ValidationError

    start = timezone.now()
    activity = ActivityPage(
        title="x", slug="x", start=start, end=start - datetime.timedelta(hours=1), place="活动室"
    )
    with pytest.raises(ValidationError):
        activity.full_clean()


def test_news_index_renders_in_a_constant_number_of_queries(
    demo, django_assert_max_num_queries, settings
):
    settings.PAGE_CACHE_SECONDS = 0  # measure the page's rendering, not the anonymous cache
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


def test_activity_index_queries_do_not_grow_with_activities(demo, django_assert_max_num_queries):
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
