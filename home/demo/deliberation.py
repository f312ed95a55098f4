"""Demo households, verified residents and proposals for 幸福里社区, in our own words."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from community.models import Household, Relation, Residency, ResidencyStatus
from community.services import building_named
from deliberation.models import (
    Choice,
    Poll,
    PollKind,
    ProgressUpdate,
    ProposalPage,
    ProposalStage,
    Rule,
    SatisfactionRating,
    StageTransition,
    Stance,
    StanceComment,
    TopicSuggestion,
    Voters,
    Weighting,
)
from deliberation.services import (
    cast_ballot,
    confirm_early_close,
    enter_paper_ballot,
    post_comment,
    request_early_close,
)
from home.demo import DemoSite, ensure_child
from home.models import User

# Eighteen flats in three buildings; the first twelve have two residents each, the last six one.
HOUSEHOLD_COUNT = 18
SHARED_HOUSEHOLDS = 12


def household_address(index: int) -> tuple[str, str, str]:
    building = f"{index % 3 + 1}号楼"
    unit = f"{index % 2 + 1}单元"
    room = f"{index // 6 + 1}0{index % 6 + 1}"
    return building, unit, room


# One owner holds the first two flats; the developer still owns the last two (unsold, let out).
OWNER_REFS = {0: "owner-0001", 1: "owner-0001", 16: "developer", 17: "developer"}


def build_households(accounts: dict[str, User]) -> list[Household]:
    households = []
    for index in range(HOUSEHOLD_COUNT):
        building, unit, room = household_address(index)
        household, _ = Household.objects.get_or_create(
            building=building_named(building),
            unit=unit,
            room=room,
            defaults={
                "floor_area": Decimal("60.00") + Decimal(index * 7 % 50),
                "owner_ref": OWNER_REFS.get(index, ""),
            },
        )
        households.append(household)
    moderator = accounts["moderator"]
    now = timezone.now()
    for number in range(1, 31):
        index = (number - 1) // 2 if number <= SHARED_HOUSEHOLDS * 2 else number - 13
        Residency.objects.get_or_create(
            user=accounts[f"resident{number}"],
            household=households[index],
            defaults={
                "status": ResidencyStatus.VERIFIED,
                "relation": (
                    Relation.OWNER
                    if number % 2 == 1 or number > SHARED_HOUSEHOLDS * 2
                    else Relation.FAMILY
                ),
                "decided_by": moderator,
                "decided_at": now,
            },
        )
    # The newcomer has claimed a flat and waits for a moderator.
    Residency.objects.get_or_create(user=accounts["newcomer"], household=households[-1])
    return households


# slug, title, stage, summary, background, plan, budget, location, proposer
PROPOSALS = [
    (
        "parking-rules",
        "小区停车位管理办法",
        ProposalStage.COLLECTING,
        "晚间车位紧张、消防通道被占，征集大家对停车管理的意见。",
        "小区有车位 120 个，登记车辆 180 辆，外来车辆晚间停放较多。",
        "拟施行业主车辆登记、外来车辆限时停放，具体办法由大家商定。",
        None,
        "小区内全部道路",
        "居委会",
    ),
    (
        "bike-shed-charging",
        "非机动车棚加装充电桩",
        ProposalStage.DISCUSSING,
        "在 2 号楼旁车棚加装 20 个智能充电口，解决飞线充电问题。",
        "飞线充电屡禁不止，存在火灾隐患。",
        "加装智能充电口，扫码计费，超时自动断电。",
        Decimal("36000.00"),
        "2号楼旁非机动车棚",
        "2号楼居民代表",
    ),
    (
        "garden-renewal",
        "小花园微改造方案",
        ProposalStage.VOTING,
        "更换破损地砖、增加无障碍坡道和儿童游乐区，请大家表决。",
        "小花园建成已二十年，地砖松动，老人和孩子容易绊倒。",
        "分两期施工：先修地面和坡道，再建儿童游乐区。",
        Decimal("128000.00"),
        "小区中心花园",
        "业主委员会",
    ),
    (
        "elevator-maintenance-fund",
        "使用维修资金更换1号楼电梯",
        ProposalStage.PUBLICISED,
        "1号楼电梯已使用十八年，拟使用专项维修资金更换。",
        "电梯近一年停梯维修九次，配件已停产。",
        "公开招标，选择三家单位比价，施工期约四十天。",
        Decimal("420000.00"),
        "1号楼",
        "1号楼业主",
    ),
    (
        "new-benches",
        "小花园增设长椅",
        ProposalStage.IMPLEMENTING,
        "在小花园步道两侧增设六张带扶手的长椅。",
        "老人散步途中没有地方休息。",
        "选用防腐木长椅，带扶手，间隔二十米设置一张。",
        Decimal("9000.00"),
        "小花园步道",
        "居民 王阿姨",
    ),
    (
        "sorting-kiosk",
        "垃圾分类亭加装雨棚和洗手池",
        ProposalStage.REVIEWED,
        "北门垃圾分类亭已加装雨棚和洗手池，请居民评价效果。",
        "下雨天投放垃圾不方便，投放后也没有地方洗手。",
        "加装雨棚、洗手池和夜间照明。",
        Decimal("18000.00"),
        "北门垃圾分类亭",
        "5号楼居民代表",
    ),
    (
        "corridor-lights",
        "楼道声控灯更换",
        ProposalStage.ARCHIVED,
        "全部楼道声控灯更换为人体感应 LED 灯，已完成并归档。",
        "原声控灯不灵敏，夜间上下楼不安全。",
        "统一更换为感应 LED 灯，物业负责日常维护。",
        Decimal("15000.00"),
        "全部楼栋",
        "居委会",
    ),
]


def build_proposals(site: DemoSite, moderator: User) -> None:
    for slug, title, stage, summary, background, plan, budget, location, proposer in PROPOSALS:
        proposal = ensure_child(
            site.deliberation,
            ProposalPage,
            slug,
            title=title,
            stage=stage,
            summary=summary,
            background=f"<p>{background}</p>",
            plan=f"<p>{plan}</p>",
            budget=budget,
            location=location,
            proposer=proposer,
        )
        build_timeline(proposal, moderator)


def build_timeline(proposal: ProposalPage, moderator: User) -> None:
    """A believable history: every stage up to the current one, about ten days apart."""
    stages = list(ProposalStage.values)
    reached = stages[: stages.index(proposal.stage) + 1]
    if proposal.stage_transitions.count() >= len(reached):
        return
    proposal.stage_transitions.all().delete()
    now = timezone.now()
    previous = ""
    for steps_back, stage in zip(range(len(reached) - 1, -1, -1), reached, strict=True):
        StageTransition.objects.create(
            proposal=proposal,
            from_stage=previous,
            to_stage=stage,
            moved_by=moderator,
            moved_at=now - timedelta(days=10 * steps_back + 1),
        )
        previous = stage


def build_polls(accounts: dict[str, User], households: list[Household]) -> None:
    """Two open polls residents 1–20 can vote in, and a sealed Civil Code poll with its result."""
    now = timezone.now()
    garden = ProposalPage.objects.get(slug="garden-renewal")
    bike_shed = ProposalPage.objects.get(slug="bike-shed-charging")
    elevator = ProposalPage.objects.get(slug="elevator-maintenance-fund")
    ensure_poll(
        garden,
        "是否同意小花园微改造方案？",
        ["同意", "不同意", "弃权"],
        opens_at=now - timedelta(days=2),
        closes_at=now + timedelta(days=12),
        voters=Voters.RESIDENTS,
        rule=Rule.SIMPLE_MAJORITY,
        description="一人一票，不记名。结果在表决截止后公布。",
        secret=True,
    )
    ensure_poll(
        bike_shed,
        "充电桩安装位置选哪里？",
        ["2号楼旁车棚", "北门车棚", "两处都装"],
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=9),
        kind=PollKind.CHOICE,
        voters=Voters.HOUSEHOLDS,
        rule=Rule.MOST_VOTES,
        description="一户一票，由户代表投票，记名表决。",
    )
    sealed, created = ensure_poll(
        elevator,
        "是否同意使用专项维修资金更换1号楼电梯？",
        ["同意", "不同意", "弃权"],
        opens_at=now - timedelta(days=20),
        closes_at=now + timedelta(days=1),
        voters=Voters.OWNERS,
        weighting=Weighting.FLOOR_AREA,
        rule=Rule.CIVIL_CODE_ORDINARY,
        description="业主共同决定事项（使用维修资金，民法典第二百七十八条第一款第五项），"
        "按专有部分面积和业主人数双过三分之二参与、双过半数同意。",
    )
    if created:
        yes, no = sealed.choices.all()[0], sealed.choices.all()[1]
        # Owners vote online for twelve flats, one says no; two more flats vote on paper.
        for number in range(1, 25, 2):
            choice = no if number == 23 else yes
            cast_ballot(sealed, accounts[f"resident{number}"], [choice.pk])
        for index, sheet in ((13, "业主大会表决票 第1页"), (14, "业主大会表决票 第2页")):
            enter_paper_ballot(
                sealed, accounts["moderator"], [yes.pk], sheet=sheet, household=households[index]
            )
        # The meeting decided on the day; the announced close was a day later: closed early,
        # asked by the moderator and confirmed by the administrator, as the site requires.
        early = request_early_close(
            sealed,
            accounts["moderator"],
            "业主大会已于现场完成表决，全部纸质票已录入，提前截止以便尽快公示结果。",
        )
        confirm_early_close(early, accounts["admin"])


def ensure_poll(proposal, title: str, labels: list[str], **fields) -> tuple[Poll, bool]:
    existing = Poll.objects.filter(proposal=proposal, title=title).first()
    if existing:
        return existing, False
    poll = Poll(proposal=proposal, title=title, **fields)
    poll.save()
    for position, label in enumerate(labels):
        Choice.objects.create(poll=poll, label=label, sort_order=position)
    return poll, True


def build_participation(accounts: dict[str, User]) -> None:
    """Progress notes, satisfaction ratings and residents' topic suggestions."""
    benches = ProposalPage.objects.get(slug="new-benches")
    if not benches.progress_updates.exists():
        today = timezone.localdate()
        for days_ago, text in (
            (12, "已完成选址和采购，长椅下周到货。"),
            (3, "六张长椅已安装四张，剩余两张本周内完成。"),
        ):
            ProgressUpdate.objects.create(
                proposal=benches, date=today - timedelta(days=days_ago), text=text
            )
    kiosk = ProposalPage.objects.get(slug="sorting-kiosk")
    for number, score in ((1, 5), (3, 4), (5, 5), (7, 3), (9, 4)):
        SatisfactionRating.objects.get_or_create(
            proposal=kiosk, user=accounts[f"resident{number}"], defaults={"score": score}
        )
    for username, title, description in (
        (
            "resident12",
            "小区东门增设快递柜",
            "东门附近没有快递柜，老人取件要走很远，建议在东门内侧增设一组。",
        ),
        (
            "resident15",
            "楼道堆物集中清理",
            "几个单元的楼道堆了不少旧家具，存在消防隐患，希望统一组织清理。",
        ),
    ):
        TopicSuggestion.objects.get_or_create(
            user=accounts[username], title=title, defaults={"description": description}
        )


# (proposal slug, author, stance, text, replies as (author, text, replies to the reply))
DISCUSSIONS = [
    (
        "bike-shed-charging",
        "resident2",
        Stance.SUPPORT,
        "支持！我家电动车一直推上楼充电，楼梯窄，老人孩子经过很不安全。",
        [
            ("resident5", "同感，装好以后希望能按小时计费，别按次收。", []),
            (
                "moderator",
                "计费方式会在协商会上定，目前方案是每度电 0.6 元、充满自动断电。",
                [("resident2", "这个价格可以接受，谢谢说明。")],
            ),
        ],
    ),
    (
        "bike-shed-charging",
        "resident8",
        Stance.OPPOSE,
        "车棚就在我家窗下，充电桩晚上会不会有噪音？也担心电池起火离住户太近。",
        [("resident11", "智能充电口一般没有噪音，可以请施工方讲讲防火措施。", [])],
    ),
    (
        "bike-shed-charging",
        "resident14",
        Stance.NEUTRAL,
        "想知道 3.6 万元从哪里出，是公共收益还是大家分摊？",
        [],
    ),
    (
        "parking-rules",
        "resident3",
        Stance.SUPPORT,
        "晚上消防通道经常被占，救护车都进不来，早该管一管了。",
        [("resident9", "同意，另外建议给探望老人的家属留几个临时车位。", [])],
    ),
    (
        "parking-rules",
        "resident17",
        Stance.OPPOSE,
        "限时停放对晚归的租户不太公平，希望方案里考虑一下。",
        [],
    ),
    (
        "garden-renewal",
        "resident6",
        Stance.SUPPORT,
        "花园里的石凳都裂了，翻新后希望多种点遮阴的树。",
        [],
    ),
]


def build_discussions(accounts: dict[str, User]) -> None:
    """Comment threads with stances and replies, posted through the same service as the site."""
    for slug, author, stance, text, replies in DISCUSSIONS:
        proposal = ProposalPage.objects.get(slug=slug)
        if StanceComment.objects.filter(proposal=proposal, comment=text).exists():
            continue
        top = post_comment(proposal, accounts[author], text, stance=stance)
        for reply_author, reply_text, answers in replies:
            reply = post_comment(proposal, accounts[reply_author], reply_text, reply_to=top)
            for answer_author, answer_text in answers:
                post_comment(proposal, accounts[answer_author], answer_text, reply_to=reply)


def load(site: DemoSite, accounts: dict[str, User]) -> None:
    households = build_households(accounts)
    build_proposals(site, accounts["moderator"])
    build_polls(accounts, households)
    build_participation(accounts)
    build_discussions(accounts)
