"""What residents get from the news section: feeds, sharing cards, attachments, related items,
tags, and nothing unpublished or private anywhere."""

import datetime

from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from wagtail.documents import get_document_model
from wagtail.models import PageViewRestriction

import pytest
from defusedxml import ElementTree

from bench.bulk import bulk_news_pages
from news.models import (
    NewsCategory,
    NewsIndexPage,
    NewsPage,
    NewsPageAttachment,
    NewsPageRelatedLink,
)
from tests.factories import (
    ImageFactory,
    ModeratorFactory,
    NewsPageFactory,
    configured_site,
    news_category,
    site_tree,
)
from tests.html import PageReader

pytestmark = pytest.mark.django_db


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def water_outage() -> NewsPage:
    return NewsPageFactory(
        slug="water-outage-building-3",
        title="3号楼二次供水设备检修停水通知",
        category=news_category("notices"),
        date=days_ago(1),
        tags=["停水", "3号楼"],
    )


def guides() -> tuple[NewsPage, NewsPage]:
    """The two 办事指南 items: how to get a residence certificate, and the senior card."""
    return (
        NewsPageFactory(
            slug="residence-certificate",
            title="如何开具居住证明",
            category=news_category("guides"),
            date=days_ago(20),
        ),
        NewsPageFactory(
            slug="senior-card",
            title="老年优待证办理指南",
            category=news_category("guides"),
            date=days_ago(25),
        ),
    )


def feed_items(url: str) -> list[dict]:
    response = Client().get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ElementTree.fromstring(response.content).find("channel")
    return [{child.tag: child.text for child in item} for item in channel.findall("item")]


def test_news_feed_lists_published_items_newest_first():
    water_outage()
    NewsPageFactory(category=news_category("tips"), date=days_ago(5))
    NewsPageFactory(category=news_category("updates"), date=days_ago(8))
    items = feed_items("/news/feed/")
    titles = [item["title"] for item in items]
    assert titles[0] == "3号楼二次供水设备检修停水通知"
    assert len(titles) == NewsPage.objects.live().count()
    assert items[0]["link"] == "http://testserver/news/water-outage-building-3/"
    assert items[0]["category"] == "通知公告"


def test_category_feed_has_only_that_category():
    water_outage()
    for days in (5, 12, 18):
        NewsPageFactory(category=news_category("tips"), date=days_ago(days))
    titles = {item["title"] for item in feed_items("/news/feed/tips/")}
    expected = set(
        NewsPage.objects.live().filter(category__slug="tips").values_list("title", flat=True)
    )
    assert titles == expected and len(titles) == 3


def test_unknown_category_feed_is_a_404():
    site_tree()
    assert Client().get("/news/feed/no-such-category/").status_code == 404


def test_news_index_advertises_its_feed():
    site_tree()
    page = PageReader(Client().get("/news/").content.decode())
    feeds = [link for link in page.find_all("link") if link.get("type") == "application/rss+xml"]
    assert feeds and feeds[0].get("href") == "/news/feed/"


def test_feed_is_capped_at_thirty_items():
    site_tree()
    bulk_news_pages(NewsIndexPage.objects.get(), 40)
    assert len(feed_items("/news/feed/")) == 30


def test_private_and_unpublished_items_appear_nowhere():
    private = water_outage()
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    draft = NewsPageFactory(
        slug="parking-survey",
        title="关于征集小区停车位管理意见的通知",
        category=news_category("notices"),
        date=days_ago(3),
    )
    draft.unpublish(log_action=False)
    for url in ("/", "/news/", "/news/?category=notices", "/news/feed/", "/news/feed/notices/"):
        body = Client().get(url).content.decode()
        assert private.title not in body, url
        assert draft.title not in body, url


def test_sharing_card_has_title_description_and_an_absolute_image():
    item = NewsPageFactory(
        slug="volunteer-team",
        title="社区志愿服务队招募新成员",
        category=news_category("updates"),
        summary="陪老人聊天、帮邻居取快递、周末清理楼道，都可以记入时间银行。",
    )
    item.cover_image = ImageFactory()
    item.save_revision().publish()
    page = PageReader(Client().get(item.url).content.decode())
    og = {m.get("property"): m.get("content") for m in page.find_all("meta") if m.get("property")}
    assert og["og:title"] == item.title
    assert og["og:description"] == item.summary
    assert og["og:image"].startswith("http://testserver/media/images/")
    assert og["og:url"] == "http://testserver/news/volunteer-team/"


def test_attachments_are_offered_for_download():
    _certificate, item = guides()
    document = get_document_model()(title="老年优待证申请表")
    document.file.save("form.docx", ContentFile(b"PK\x03\x04 demo"), save=True)
    NewsPageAttachment.objects.create(page=item, document=document)
    html = Client().get(item.url).content.decode()
    link = next(a for a in PageReader(html).find_all("a") if a.text == "老年优待证申请表")
    assert link.get("href").startswith("/documents/") and "download" in link.attrs
    assert "(DOCX" in html


def test_related_items_are_the_editors_choice_else_the_same_category():
    _certificate, item = guides()
    summer_heat = NewsPageFactory(
        slug="summer-heat", title="高温天气健康提示", category=news_category("tips")
    )
    html = Client().get(item.url).content.decode()
    assert "如何开具居住证明" in html  # the other 办事指南 item
    NewsPageRelatedLink.objects.create(page=item, related_page=summer_heat)
    html = Client().get(item.url).content.decode()
    assert "高温天气健康提示" in html and "如何开具居住证明" not in html


def test_tags_link_to_the_filtered_list():
    item = water_outage()
    NewsPageFactory(title="晾衣杆安装注意事项", category=news_category("tips"), tags=["晾衣杆"])
    html = Client().get(item.url).content.decode()
    assert 'href="/news/?tag=%E5%81%9C%E6%B0%B4"' in html
    listing = Client().get("/news/", {"tag": "停水"}).content.decode()
    assert item.title in listing and "晾衣杆安装注意事项" not in listing
    assert "标签为“停水”的内容" in listing


def test_news_index_with_ten_thousand_items_renders_in_constant_queries(
    django_assert_max_num_queries,
):
    index = configured_site().news
    bulk_news_pages(index, 10_000, category=NewsCategory.objects.get(slug="notices"))
    client = Client()
    client.get("/news/")
    for query in ("", "?page=2", "?page=abc", "?category=notices&page=300", "?page=99999"):
        with django_assert_max_num_queries(14):
            response = client.get(f"/news/{query}")
        assert response.status_code == 200
        rows = len(PageReader(response.content.decode()).find_all("article"))
        assert rows == (NewsPage.objects.live().count() % 20 or 20 if "99999" in query else 20)


def test_scheduled_news_goes_live_when_the_periodic_command_runs():
    index = site_tree().news
    item = NewsPage(title="元旦活动安排", slug="new-year", live=False)
    index.add_child(instance=item)
    item.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    revision = item.save_revision()
    revision.publish()
    item.refresh_from_db()
    assert not item.live
    # An hour later: the scheduled time has passed.
    revision.refresh_from_db()
    past = timezone.now() - datetime.timedelta(minutes=1)
    revision.approved_go_live_at = past
    revision.content["go_live_at"] = past.isoformat()
    revision.save()
    call_command("publish_scheduled", verbosity=0)
    item.refresh_from_db()
    assert item.live


def test_moderators_can_compare_and_revert_revisions(client_for):
    item = NewsPageFactory(slug="grid-members", title="网格员联系方式更新")
    first = item.get_latest_revision()
    item.title = "网格员联系方式更新（第二版）"
    second = item.save_revision()
    client = client_for(ModeratorFactory())
    compare = client.get(f"/admin/pages/{item.pk}/revisions/compare/{first.pk}...{second.pk}/")
    assert compare.status_code == 200
    assert "第二版" in compare.content.decode()
    revert = client.get(f"/admin/pages/{item.pk}/revisions/{first.pk}/revert/")
    assert revert.status_code == 200


def test_news_item_queries_do_not_grow_with_attachments_links_and_tags():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    configured_site()
    _certificate, item = guides()
    NewsPageFactory.create_batch(5, category=news_category("notices"), tags=["通知"])
    others = list(NewsPage.objects.exclude(pk=item.pk)[:6])
    client = Client()

    def queries() -> int:
        client.get(item.url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(item.url).status_code == 200
        return len(captured)

    NewsPageRelatedLink.objects.create(page=item, related_page=others[0])
    baseline = queries()
    for other in others[1:]:
        NewsPageRelatedLink.objects.create(page=item, related_page=other)
    for number in range(8):
        document = get_document_model()(title=f"附件{number}")
        document.file.save(f"a{number}.pdf", ContentFile(b"%PDF-1.4"), save=True)
        NewsPageAttachment.objects.create(page=item, document=document)
    item.tags.add(*[f"标签{n}" for n in range(10)])
    item.save_revision().publish()
    assert queries() == baseline
    assert baseline <= 16
