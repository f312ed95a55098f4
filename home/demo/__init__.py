"""The demo community 幸福里社区: site settings, the page tree and the accounts.

Every function here is idempotent: what exists (matched by slug or user name) is left as it is,
so running ``load_demo`` twice duplicates nothing and never overwrites an editor's changes.
Apps add their own demo data in their ``demo.py``; ``load_demo`` calls them in order.
All text is our own writing.
"""

import io
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.core.files.images import ImageFile

from wagtail.images import get_image_model
from wagtail.models import Page, Site

from home.models import CommunitySettings, HomePage, NavigationSettings, StandardPage, User
from home.roles import AUDITORS, EDITORS, MODERATORS, RESIDENTS


@dataclass
class DemoSite:
    home: HomePage
    news: Page
    activities: Page
    deliberation: Page
    guide: StandardPage


def ensure_child(
    parent: Page, model: type[Page], slug: str, tags: list[str] | None = None, **fields
) -> Page:
    """The child page with this slug, created and published if it does not exist yet."""
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    if existing:
        return existing
    page = model(slug=slug, **fields)
    if tags:
        page.tags.add(*tags)
    parent.add_child(instance=page)
    page.save_revision(log_action=False).publish(log_action=False)
    return page


def demo_image(title: str, size=(1200, 500), colours=((180, 35, 24), (240, 160, 60))):
    """A generated banner (a gradient with rooftops), so the demo needs no image files."""
    from PIL import Image as PILImage
    from PIL import ImageDraw

    Image = get_image_model()
    existing = Image.objects.filter(title=title).first()
    if existing:
        return existing
    width, height = size
    picture = PILImage.new("RGB", size)
    draw = ImageDraw.Draw(picture)
    (r1, g1, b1), (r2, g2, b2) = colours
    for y in range(height):
        t = y / height
        draw.line(
            [(0, y), (width, y)],
            fill=(int(r1 + (r2 - r1) * t), int(g1 + (g2 - g1) * t), int(b1 + (b2 - b1) * t)),
        )
    for index, x in enumerate(range(40, width, 170)):
        roof = height - 180 - (index % 3) * 50
        draw.rectangle([x, roof, x + 120, height], fill=(255, 255, 255))
        draw.polygon([(x - 10, roof), (x + 60, roof - 50), (x + 130, roof)], fill=(250, 235, 215))
        for wy in range(roof + 25, height - 20, 45):
            draw.rectangle([x + 20, wy, x + 45, wy + 25], fill=(250, 200, 90))
            draw.rectangle([x + 75, wy, x + 100, wy + 25], fill=(250, 200, 90))
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    image = Image(title=title, file=ImageFile(buffer, name="demo-banner.png"))
    image.save()
    return image


def build_site() -> DemoSite:
    root = Page.objects.get(depth=1)
    home = HomePage.objects.first()
    if home is None:
        home = HomePage(title="首页", slug="home")
        root.add_child(instance=home)
        home.save_revision(log_action=False).publish(log_action=False)
    if not home.hero_text:
        home.hero_heading = "欢迎来到幸福里社区议事厅"
        home.hero_text = (
            "社区的通知、活动和大家关心的事都在这里。有想法就提出来，"
            "有意见就说出来，大事小情一起商量、一起决定。"
        )
        home.hero_image = demo_image("幸福里社区横幅")
        home.save_revision(log_action=False).publish(log_action=False)
    site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
    site.hostname, site.port, site.root_page, site.site_name = "localhost", 80, home, "幸福里社区"
    site.save()

    from deliberation.models import DeliberationIndexPage
    from news.models import ActivityIndexPage, NewsIndexPage

    news = ensure_child(
        home,
        NewsIndexPage,
        "news",
        title="通知公告",
        show_in_menus=True,
        introduction="社区居委会发布的通知、动态和办事指南。重要通知会置顶显示在首页。",
    )
    activities = ensure_child(
        home,
        ActivityIndexPage,
        "activities",
        title="社区活动",
        show_in_menus=True,
        introduction="近期活动在前，往期活动在后。欢迎邻居们报名参加。",
    )
    deliberation = ensure_child(
        home,
        DeliberationIndexPage,
        "yishiting",
        title="议事厅",
        show_in_menus=True,
        introduction=(
            "小区里的公共事务，由居民一起提出、一起讨论、一起表决。"
            "正在征集、协商和表决的议题排在前面。"
        ),
    )
    guide = ensure_child(
        home,
        StandardPage,
        "guide",
        title="办事指南",
        show_in_menus=True,
        introduction="常办事项需要带什么、去哪里办、多久办好，一页说清。",
        body=[
            ("heading", {"text": "居委会办公时间", "level": "h2"}),
            ("paragraph", "<p>周一至周五 8:30–12:00，13:30–17:30；周六上午有人值班。</p>"),
            ("heading", {"text": "常办事项", "level": "h2"}),
            (
                "table",
                {
                    "first_row_is_table_header": True,
                    "first_col_is_header": False,
                    "data": [
                        ["事项", "需要带的材料", "办理时间"],
                        ["居住证明", "身份证、房产证或租赁合同", "当场办结"],
                        ["老年优待证", "身份证、一寸照片一张", "5 个工作日"],
                        ["门禁卡补办", "身份证、工本费 20 元", "当场办结"],
                    ],
                },
            ),
            (
                "quote",
                {"text": "材料不齐也可以先来问，我们帮您一次说清楚。", "attribution": "社区居委会"},
            ),
        ],
    )
    ensure_child(
        guide,
        StandardPage,
        "how-yishiting-works",
        title="议事厅怎么用",
        introduction="从提出议题到表决结果公示，每一步都公开可查。",
        body=[
            ("heading", {"text": "一件事是怎么定下来的", "level": "h2"}),
            (
                "paragraph",
                "<ol><li>征集：任何居民都可以提出议题。</li><li>协商：大家发表意见，标明支持、反对或中立。</li>"
                "<li>表决：按事先公布的规则投票，一户一票或一人一票。</li>"
                "<li>公示：结果、规则和投票率公示七天。</li><li>实施与评价：居民给实施效果打分。</li></ol>",
            ),
        ],
    )

    community = CommunitySettings.for_site(site)
    if not community.name:
        community.name = "幸福里社区"
        community.address = "示范市和平区幸福路 88 号 幸福里社区居委会"
        community.phone = "0000-1234567"
        community.office_hours = "周一至周五 8:30–17:30"
        community.footer_text = "本网站由幸福里社区居委会维护。演示内容，纯属虚构。"
        community.icp_number = "示ICP备00000000号"
        community.save()

    menu = NavigationSettings.for_site(site)
    if not menu.items:
        menu.items = [
            ("link", {"page": page, "label": "", "url": ""})
            for page in (news, activities, deliberation, guide)
        ]
        menu.save()
    return DemoSite(
        home=home, news=news, activities=activities, deliberation=deliberation, guide=guide
    )


STAFF_ACCOUNTS = [
    # user name, display name, group, superuser
    ("admin", "系统管理员", None, True),
    ("editor", "社区工作者 小李", EDITORS, False),
    ("moderator", "书记 张书记", MODERATORS, False),
    ("auditor", "监督委员会 老周", AUDITORS, False),
]
RESIDENT_COUNT = 30


def build_accounts(password: str) -> dict[str, User]:
    """Staff, 30 residents, a tenant and one newcomer, all with ``password``.

    The password is set on every run, so changing DEMO_PASSWORD and reloading takes effect.
    """
    accounts: dict[str, User] = {}

    def account(username: str, display_name: str, **extra) -> User:
        user, _ = User.objects.get_or_create(
            username=username, defaults={"display_name": display_name, **extra}
        )
        user.set_password(password)
        user.save(update_fields=["password"])
        accounts[username] = user
        return user

    for username, display_name, group, superuser in STAFF_ACCOUNTS:
        user = account(
            username,
            display_name,
            is_superuser=superuser,
            is_staff=superuser,
            email=f"{username}@example.org",
        )
        if group:
            user.groups.add(Group.objects.get(name=group))
    residents = Group.objects.get(name=RESIDENTS)
    for number in range(1, RESIDENT_COUNT + 1):
        user = account(f"resident{number}", f"居民{number}号")
        user.groups.add(residents)
    tenant = account("tenant1", "2号楼 小陈")
    tenant.groups.add(residents)
    newcomer = account("newcomer", "新邻居")
    newcomer.groups.add(residents)
    return accounts
