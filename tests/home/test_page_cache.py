"""The anonymous page cache: a second visit costs one query, and a change any visitor would see
— a new notice, a ballot, a comment, a sign-up, a hidden comment — shows at once."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

import pytest

from deliberation.models import Poll, ProposalPage, StanceComment
from deliberation.services import cast_ballot, moderate_comment, post_comment
from news.models import NewsIndexPage, NewsPage
from tests.factories import ModeratorFactory, ResidentFactory

pytestmark = pytest.mark.django_db

GARDEN = "/yishiting/garden-renewal/"
BIKES = "/yishiting/bike-shed-charging/"


def visit(url: str, client: Client | None = None):
    return (client or Client()).get(url)


def test_a_second_anonymous_visit_is_served_from_the_cache_in_one_query(community):
    first = visit("/")
    assert first["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as captured:
        second = visit("/")
    assert second["X-Page-Cache"] == "hit" and len(captured) == 1
    assert second.content == first.content
    assert "script-src 'self'" in second["Content-Security-Policy"]


def test_signed_in_visitors_are_never_served_or_stored(community, client_for):
    visit("/")
    resident = client_for(ResidentFactory(display_name="居民1号")).get("/")
    assert "X-Page-Cache" not in resident and "居民1号" in resident.content.decode()
    assert "居民1号" not in visit("/").content.decode()


def test_a_published_notice_shows_at_once(community):
    visit("/")
    visit("/news/")
    index = NewsIndexPage.objects.first()
    page = NewsPage(title="停水通知（临时）", summary="明日停水。")
    index.add_child(instance=page)
    page.save_revision().publish()
    assert "停水通知（临时）" in visit("/news/").content.decode()
    page.unpublish()
    assert "停水通知（临时）" not in visit("/news/").content.decode()


def test_a_ballot_changes_the_turnout_anonymous_visitors_see(community):
    before = visit(GARDEN).content.decode()
    assert visit(GARDEN)["X-Page-Cache"] == "hit"
    poll = Poll.objects.get(proposal__slug="garden-renewal")
    cast_ballot(poll, ResidentFactory(), [poll.choices.order_by("sort_order").first().pk])
    after = visit(GARDEN)
    assert after["X-Page-Cache"] == "miss" and after.content.decode() != before


def test_comments_and_their_moderation_show_at_once(community):
    visit(BIKES)
    proposal = ProposalPage.objects.get(slug="bike-shed-charging")
    comment = post_comment(proposal, ResidentFactory(), "车棚旁边加个灭火器", stance="support")
    assert "车棚旁边加个灭火器" in visit(BIKES).content.decode()
    moderate_comment(
        StanceComment.objects.get(pk=comment.pk), ModeratorFactory(), "hide", reason="off_topic"
    )
    assert "车棚旁边加个灭火器" not in visit(BIKES).content.decode()


def test_each_language_has_its_own_copy(community):
    visit("/")
    english = Client()
    english.cookies["django_language"] = "en"
    assert "Latest notices" in english.get("/").content.decode()
    assert "最新通知" in visit("/").content.decode()


def test_nothing_personal_or_private_is_cached(community):
    assert "X-Page-Cache" not in visit("/accounts/login/")
    assert "X-Page-Cache" not in visit("/receipts/?code=AAAA-BBBB-CCCC")
    assert "X-Page-Cache" not in visit("/api/deliberation/polls/")
    assert visit("/no-such-page/").status_code == 404
    assert "X-Page-Cache" not in visit("/no-such-page/")


PUBLIC_PAGES = [
    "/",
    "/news/",
    "/news/?page=2",
    "/news/water-outage-building-3/",
    "/activities/",
    "/activities/choir-rehearsal/",
    "/activities/choir-rehearsal/poster/",
    "/yishiting/",
    GARDEN,
    BIKES,
    "/yishiting/elevator-maintenance-fund/",
    "/guide/",
    "/search/?q=电梯",
    "/archive/",
]


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_every_public_page_renders_in_at_most_15_queries_when_not_cached(community, url):
    visit(url)  # what a running process has cached: content types, site root paths, electorate
    Poll.objects.first().save()  # a change, as after a ballot: every cached page is stale
    visit("/accounts/login/")  # the first page after it caches the settings and menu again
    with CaptureQueriesContext(connection) as captured:
        response = visit(url)
    assert response["X-Page-Cache"] == "miss" and response.status_code == 200
    assert len(captured) <= 15, [query["sql"][:120] for query in captured]


def test_a_database_that_cannot_be_reached_gets_a_chinese_503_not_a_500(community, monkeypatch):
    from django.db import OperationalError

    def down(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("django.db.backends.utils.CursorWrapper.execute", down)
    page = Client().get("/news/")
    assert page.status_code == 503 and page["Retry-After"] == "30"
    assert "数据库" in page.content.decode()
    api = Client().get("/api/deliberation/polls/")
    assert api.status_code == 503 and "请" in api.json()["detail"]


def test_a_section_made_private_is_closed_at_once_and_opens_again(community, client_for):
    """View restrictions are remembered until the next change: making a page private and public
    again takes effect on the next visit, for the page and for the listings that show it."""
    from wagtail.models import PageViewRestriction

    item = NewsPage.objects.get(slug="water-outage-building-3")
    sibling = NewsPage.objects.live().filter(category=item.category).exclude(pk=item.pk).first()
    assert visit(item.url).status_code == 200
    assert item.title in visit(sibling.url).content.decode()  # among its related items

    restriction = PageViewRestriction.objects.create(page=item, restriction_type="login")
    refused = visit(item.url)
    assert refused.status_code == 302 and refused["Location"].startswith("/accounts/login/")
    assert item.title not in visit(sibling.url).content.decode()
    assert item.title not in visit("/news/").content.decode()
    assert client_for(ResidentFactory()).get(item.url).status_code == 200  # signed in: allowed

    restriction.delete()
    assert visit(item.url).status_code == 200
    assert item.title in visit("/news/").content.decode()


def test_pages_ask_nothing_about_private_sections_while_there_are_none(community, client_for):
    resident = client_for(ResidentFactory())  # never served from the page cache
    resident.get("/news/")
    with CaptureQueriesContext(connection) as captured:
        assert resident.get("/news/water-outage-building-3/").status_code == 200
    assert not [q for q in captured if "pageviewrestriction" in q["sql"]]


def test_a_renamed_page_moves_to_its_new_address_at_once(community, client_for):
    """Which page an address names is remembered until the next change: after a new slug the
    old address is gone and the new one serves the page, for visitors signed in or not."""
    item = NewsPage.objects.get(slug="water-outage-building-3")
    resident = client_for(ResidentFactory())
    assert visit("/news/water-outage-building-3/").status_code == 200
    assert resident.get("/news/water-outage-building-3/").status_code == 200
    item.slug = "water-outage-b3"
    item.save_revision().publish()
    for client in (Client(), resident):
        assert client.get("/news/water-outage-building-3/").status_code == 404
        renamed = client.get("/news/water-outage-b3/")
        assert renamed.status_code == 200 and item.title in renamed.content.decode()


@pytest.mark.parametrize("url", ["/", "/news/water-outage-building-3/", GARDEN, "/guide/"])
def test_pages_read_without_the_remembered_lookups_are_the_same(community, url, settings):
    """PAGE_CACHE_REMEMBER=0 (the benchmark's cold run) reads everything again: same page."""
    settings.PAGE_CACHE_SECONDS = 0
    remembered = visit(url).content
    settings.PAGE_CACHE_REMEMBER = False
    with CaptureQueriesContext(connection) as captured:
        cold = visit(url)
    assert cold.status_code == 200 and cold.content == remembered
    assert any("wagtailcore_site" in query["sql"] for query in captured)  # really read again
