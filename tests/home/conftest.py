"""A small public site for the suites that look at every kind of page at once (templates, the
page cache, injection): the pages sit at the demo's addresses, so a test names them by URL.

Building it publishes a dozen pages, so it is built once per module, inside a transaction rolled
back after the module's last test; each test runs in a savepoint of it (as every test runs in a
transaction) and gets the pages read afresh, so what one test changes no other sees.
"""

import datetime
import os
from dataclasses import dataclass, fields

from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

import pytest

from deliberation.models import Poll, ProposalPage, ProposalStage, Stance
from home.models import StandardPage
from news.models import ActivityPage, NewsPage
from news.services import sign_up
from tests.factories import (
    ActivityPageFactory,
    CommentFactory,
    ImageFactory,
    NewsPageFactory,
    PollFactory,
    ProposalPageFactory,
    ResidentFactory,
    SiteTree,
    StandardPageFactory,
    community_settings,
    main_menu,
    news_category,
    sealed_civil_code_poll,
    site_tree,
)


@dataclass
class Community:
    tree: SiteTree
    guide: StandardPage
    water_outage: NewsPage
    elevator_check: NewsPage
    clothes_poles: NewsPage
    phone_class: ActivityPage
    choir: ActivityPage
    moon_festival: ActivityPage
    garden: ProposalPage
    garden_poll: Poll
    bike_shed: ProposalPage
    elevator: ProposalPage


def build_community() -> Community:
    """幸福里社区 in small: a profile and menu, a guide, three notices, three activities (one
    full, one past), a proposal in voting, one in discussion with a thread, and a publicised one
    with its sealed Civil Code poll; the archive's index built, as after the pages' commits."""
    tree = site_tree()
    # First, while the four flats it counts are the whole register: the sealed result.
    elevator = ProposalPageFactory(
        slug="elevator-maintenance-fund",
        title="使用维修资金更换1号楼电梯",
        stage=ProposalStage.PUBLICISED,
    )
    sealed_civil_code_poll(elevator, title="是否同意使用专项维修资金更换1号楼电梯？")

    tree.home.hero_heading = "欢迎来到幸福里社区议事厅"
    tree.home.hero_image = ImageFactory(title="幸福里社区横幅")
    tree.home.save_revision(log_action=False).publish(log_action=False)
    guide = StandardPageFactory(
        slug="guide",
        title="办事指南",
        introduction="常办事项需要带什么、去哪里办、多久办好，一页说清。",
        body=[("paragraph", "<p>周一至周五 8:30–12:00，13:30–17:30。</p>")],
    )
    community_settings(
        name="幸福里社区",
        address="示范市和平区幸福路 88 号 幸福里社区居委会",
        footer_text="本网站由幸福里社区居委会维护。",
        icp_number="示ICP备00000000号",
    )
    main_menu(tree.news, tree.activities, tree.deliberation, guide)

    today = timezone.localdate()
    water_outage = NewsPageFactory(
        slug="water-outage-building-3",
        title="3号楼二次供水设备检修停水通知",
        category=news_category("notices"),
        date=today - datetime.timedelta(days=1),
        pinned_until=today + datetime.timedelta(days=5),
        summary="本周六上午 9:00 至 14:00，3号楼二次供水设备检修，期间停水，请提前储水。",
        tags=["停水", "3号楼"],
    )
    elevator_check = NewsPageFactory(
        slug="elevator-annual-check",
        title="电梯年度检验安排",
        category=news_category("notices"),
        date=today - datetime.timedelta(days=6),
        summary="下周一至周三分楼栋进行电梯年检，每部电梯停运约两小时。",
        tags=["电梯"],
    )
    clothes_poles = NewsPageFactory(
        slug="clothes-poles",
        title="晾衣杆安装注意事项",
        category=news_category("tips"),
        date=today - datetime.timedelta(days=18),
        tags=["晾衣杆"],
    )

    phone_class = ActivityPageFactory(
        slug="phone-class", title="老年人智能手机课堂", capacity=20, summary="手把手教您用手机。"
    )
    choir = ActivityPageFactory(slug="choir-rehearsal", title="社区合唱团新春排练", capacity=2)
    past = timezone.now() - datetime.timedelta(days=20)
    moon_festival = ActivityPageFactory(
        slug="moon-festival-party",
        title="中秋邻里联欢会",
        start=past,
        end=past + datetime.timedelta(hours=2),
        capacity=100,
    )

    garden = ProposalPageFactory(
        slug="garden-renewal", title="小花园微改造方案", stage=ProposalStage.VOTING
    )
    garden_poll = PollFactory(proposal=garden, title="是否同意小花园微改造方案？", secret=True)
    bike_shed = ProposalPageFactory(
        slug="bike-shed-charging", title="非机动车棚加装充电桩", stage=ProposalStage.DISCUSSING
    )
    opinion = CommentFactory(proposal=bike_shed, text="支持！楼梯窄，推车上楼不安全。")
    CommentFactory(reply_to=opinion, text="同感，希望按小时计费。")
    CommentFactory(proposal=bike_shed, stance=Stance.OPPOSE, text="担心晚上有噪音。")

    for resident in ResidentFactory.create_batch(3):
        sign_up(choir, resident)

    with open(os.devnull, "w") as quiet:
        call_command("update_index", verbosity=0, stdout=quiet)
    return Community(
        tree=tree,
        guide=guide,
        water_outage=water_outage,
        elevator_check=elevator_check,
        clothes_poles=clothes_poles,
        phone_class=phone_class,
        choir=choir,
        moon_festival=moon_festival,
        garden=garden,
        garden_poll=garden_poll,
        bike_shed=bike_shed,
        elevator=elevator,
    )


@pytest.fixture(scope="module")
def _community_for_the_module(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        built = build_community()
    yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def community(_community_for_the_module, db) -> Community:
    """The module's small 幸福里社区 (see ``build_community``), its pages read afresh."""
    built = _community_for_the_module

    def fresh(page):
        return type(page).objects.get(pk=page.pk)

    tree = SiteTree(**{f.name: fresh(getattr(built.tree, f.name)) for f in fields(SiteTree)})
    pages = {f.name: fresh(getattr(built, f.name)) for f in fields(Community) if f.name != "tree"}
    return Community(tree=tree, **pages)
