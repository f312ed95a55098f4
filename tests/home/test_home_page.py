"""The home page and the main menu."""

from django.test import Client

from wagtail.models import Page, Site
from wagtail.test.utils import WagtailPageTestCase

import pytest

from deliberation.models import DeliberationIndexPage, ProposalPage, ProposalStage
from home.models import HomePage, NavigationSettings, StandardPage
from news.models import ActivityIndexPage, ActivityPage, NewsIndexPage, NewsPage
from tests.factories import (
    ActivityPageFactory,
    ImageFactory,
    NewsPageFactory,
    PollFactory,
    ProposalPageFactory,
    StandardPageFactory,
    community_settings,
    main_menu,
    news_category,
    site_tree,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def guide() -> StandardPage:
    return StandardPageFactory(title="办事指南", slug="guide")


def test_home_page_renders_in_a_bounded_number_of_queries(django_assert_max_num_queries, guide):
    tree = site_tree()
    tree.home.hero_heading, tree.home.hero_image = "欢迎", ImageFactory()
    tree.home.save_revision().publish()
    community_settings(name="幸福里社区", footer_text="本网站由幸福里社区居委会维护。")
    main_menu(tree.news, tree.activities, tree.deliberation, guide)
    for slug in ("notices", "updates", "tips"):
        NewsPageFactory.create_batch(3, category=news_category(slug), tags=["通知"])
    ActivityPageFactory.create_batch(4, capacity=20)
    PollFactory(proposal=ProposalPageFactory(stage=ProposalStage.VOTING))
    ProposalPageFactory.create_batch(3, stage=ProposalStage.DISCUSSING)
    client = Client()
    client.get("/")  # warm the per-process caches (site root paths, content types)
    with django_assert_max_num_queries(14):
        assert client.get("/").status_code == 200


def test_open_deliberations_put_voting_first_and_leave_closed_ones_out():
    for stage in (
        ProposalStage.COLLECTING,
        ProposalStage.DISCUSSING,
        ProposalStage.VOTING,
        ProposalStage.PUBLICISED,
        ProposalStage.ARCHIVED,
    ):
        ProposalPageFactory(stage=stage)
    proposals = ProposalPage.objects.open_for_participation(limit=10)
    assert proposals[0].stage == ProposalStage.VOTING
    assert {p.stage for p in proposals} <= set(ProposalStage.open_stages())


def test_main_menu_follows_the_navigation_settings(guide):
    site_tree()
    site = Site.objects.get(is_default_site=True)
    menu = NavigationSettings.for_site(site)
    menu.items = [
        ("link", {"page": guide, "label": "怎么办事", "url": ""}),
        ("link", {"page": None, "label": "街道网站", "url": "https://example.org/"}),
    ]
    menu.save()
    html = Client().get("/news/").content.decode()
    assert ">怎么办事<" in html and 'href="https://example.org/"' in html
    assert ">议事厅<" not in html.split("main-menu")[1].split("</nav>")[0]


def test_main_menu_falls_back_to_pages_shown_in_menus(guide):
    main_menu(guide)  # a menu that editors then emptied
    site = Site.objects.get(is_default_site=True)
    menu = NavigationSettings.for_site(site)
    menu.items = []
    menu.save()
    html = Client().get("/").content.decode()
    menu_html = html.split('class="main-menu"')[1].split("</nav>")[0]
    for title in ("通知公告", "社区活动", "议事厅", "办事指南"):
        assert title in menu_html


def test_community_profile_appears_in_the_footer():
    community_settings(footer_text="本网站由幸福里社区居委会维护。", icp_number="示ICP备00000000号")
    html = Client().get("/").content.decode()
    assert "幸福里社区居委会" in html
    assert "示ICP备00000000号" in html


class TestPageTree(WagtailPageTestCase):
    def test_home_page_sits_at_the_root_only(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})

    def test_sections_live_under_the_home_page(self):
        self.assertAllowedSubpageTypes(
            HomePage, {NewsIndexPage, ActivityIndexPage, DeliberationIndexPage, StandardPage}
        )

    def test_items_live_under_their_section(self):
        self.assertAllowedParentPageTypes(NewsPage, {NewsIndexPage})
        self.assertAllowedParentPageTypes(ActivityPage, {ActivityIndexPage})
        self.assertAllowedParentPageTypes(ProposalPage, {DeliberationIndexPage})
