"""Demo notices, news and activities for 幸福里社区, in our own words."""

import datetime

from django.utils import timezone

from home.demo import DemoSite, ensure_child
from home.models import User
from news.models import ActivityPage, NewsCategory, NewsPage
from news.services import sign_up

# slug, title, category slug, days ago, pinned days ahead (None: not pinned), tags, summary, body
NEWS = [
    (
        "water-outage-building-3",
        "3号楼二次供水设备检修停水通知",
        "notices",
        1,
        5,
        ["停水", "3号楼"],
        "本周六上午 9:00 至 14:00，3号楼二次供水设备检修，期间停水，请提前储水。",
        [
            "检修期间请关闭家中水龙头，恢复供水后先放水一分钟再使用。",
            "如遇家中有行动不便的老人需要送水，请拨打居委会电话，网格员上门帮忙。",
        ],
    ),
    (
        "parking-survey",
        "关于征集小区停车位管理意见的通知",
        "notices",
        3,
        None,
        ["停车位", "议事厅"],
        "小区车位紧张，居委会在议事厅发起停车位管理议题，欢迎大家发表意见。",
        [
            "近半年来，晚间乱停车、占用消防通道的情况反映较多。",
            "即日起在议事厅征集意见，征集期两周，之后进入协商和表决。",
        ],
    ),
    (
        "elevator-annual-check",
        "电梯年度检验安排",
        "notices",
        6,
        None,
        ["电梯"],
        "下周一至周三分楼栋进行电梯年检，每部电梯停运约两小时。",
        [
            "年检时间会提前一天张贴在各单元门口。",
            "年检期间请走楼梯并注意安全，需要帮助可联系物业。",
        ],
    ),
    (
        "garbage-sorting-points",
        "垃圾分类投放点调整公告",
        "notices",
        10,
        None,
        ["垃圾分类"],
        "为减少异味，2号楼和5号楼之间的投放点移至北门内侧。",
        [
            "新投放点定时开放：早 7:00–9:00，晚 18:00–20:00。",
            "大件垃圾请提前预约，不要堆放在楼道里。",
        ],
    ),
    (
        "volunteer-team",
        "社区志愿服务队招募新成员",
        "updates",
        2,
        None,
        ["志愿者", "时间银行"],
        "陪老人聊天、帮邻居取快递、周末清理楼道，都可以记入时间银行。",
        ["报名不限年龄，每月能抽出两小时就行。", "服务时长可兑换理发、家电小修等社区服务。"],
    ),
    (
        "new-benches",
        "小花园新添了六张长椅",
        "updates",
        8,
        None,
        ["小花园", "微改造"],
        "根据上次议事厅的表决结果，小花园新装长椅已经完工。",
        ["长椅选用了带扶手的款式，方便老人起身。", "欢迎大家在议事厅为实施效果打分。"],
    ),
    (
        "grid-members",
        "网格员联系方式更新",
        "updates",
        15,
        None,
        ["网格员"],
        "社区重新划分为六个网格，每个网格都有专人负责。",
        ["网格员每周至少走访一次，有事可以直接找他们。", "具体分工贴在每个单元的公告栏上。"],
    ),
    (
        "residence-certificate",
        "如何开具居住证明",
        "guides",
        20,
        None,
        ["居住证明", "办事"],
        "带上身份证和房产证或租赁合同，到居委会一楼窗口当场办理。",
        ["代办需要带上委托书和代办人身份证。", "工作日中午不休息，方便上班族。"],
    ),
    (
        "senior-card",
        "老年优待证办理指南",
        "guides",
        25,
        None,
        ["老年人", "办事"],
        "年满六十周岁的居民可以办理，乘坐公交、游览公园享受优待。",
        ["需要身份证和一寸照片一张。", "行动不便的老人可以预约网格员上门办理。"],
    ),
    (
        "calligraphy-class",
        "书法兴趣班开课啦",
        "culture",
        4,
        None,
        ["书法", "老年大学"],
        "每周二下午在活动室上课，笔墨纸砚社区提供。",
        ["老师是退休的语文老师王老师。", "零基础也欢迎，重在交流。"],
    ),
    (
        "dragon-boat-recap",
        "端午包粽子活动圆满结束",
        "culture",
        30,
        None,
        ["端午", "邻里"],
        "四十多位邻居一起包了三百多个粽子，送给了独居老人。",
        ["孩子们跟着爷爷奶奶学包粽子，活动室里满是笑声。", "感谢提供粽叶和糯米的几位热心居民。"],
    ),
    (
        "flying-wire-charging",
        "请勿飞线充电：电动车充电安全提示",
        "tips",
        5,
        None,
        ["飞线充电", "消防"],
        "从楼上拉电线给电动车充电很危险，请到小区充电棚充电。",
        ["充电棚新增了二十个插座，扫码即可使用。", "电池不要带进电梯和家里。"],
    ),
    (
        "summer-heat",
        "高温天气健康提示",
        "tips",
        12,
        None,
        ["高温", "老年人"],
        "午后尽量减少外出，多喝水，独居老人请与家人保持联系。",
        ["社区活动室开放纳凉，提供饮用水。", "发现邻居身体不适请及时拨打 120。"],
    ),
    (
        "clothes-poles",
        "晾衣杆安装注意事项",
        "tips",
        18,
        None,
        ["晾衣杆"],
        "外挂晾衣杆要装牢，防止衣物和杆子坠落伤人。",
        ["请不要在公共走廊拉绳晾晒。", "安装有困难可以联系物业统一安排。"],
    ),
]

# slug, title, starts in days (negative: past), hour, duration hours, place, capacity, summary
ACTIVITIES = [
    ("phone-class", "老年人智能手机课堂", 3, 14, 2, "社区活动室", 20,
     "手把手教您用手机挂号、视频通话、识别诈骗电话。"),
    ("community-clean-up", "周末楼道清洁日", 6, 9, 3, "各楼栋单元门口", None,
     "清理楼道杂物，让通道畅通、环境清爽。工具由社区提供。"),
    ("free-clinic", "社区义诊：量血压、测血糖", 10, 8, 4, "小花园凉亭", 60,
     "街道卫生服务中心医生到社区，现场咨询慢病管理。"),
    ("choir-rehearsal", "社区合唱团新春排练", 5, 19, 2, "社区活动室", 6,
     "合唱团为新春联欢会排练新曲目，名额有限，报满后可排队候补。"),
    ("moon-festival-party", "中秋邻里联欢会", -20, 19, 2, "社区广场", 100,
     "猜灯谜、分月饼、邻居们自编自演的小节目。"),
    ("anti-fraud-talk", "防诈骗知识讲座", -45, 15, 1, "社区活动室", 40,
     "派出所民警讲解常见骗局，现场答疑。"),
]  # fmt: skip


# activity slug → the residents who have signed up, in order (the choir is full, two wait)
SIGNUPS = {
    "choir-rehearsal": [f"resident{n}" for n in range(1, 9)],
    "phone-class": ["resident9", "resident10", "resident11"],
}


def load(site: DemoSite, accounts: dict[str, User]) -> None:
    categories = {category.slug: category for category in NewsCategory.objects.all()}
    today = timezone.localdate()
    for slug, title, category, days_ago, pinned, tags, summary, paragraphs in NEWS:
        ensure_child(
            site.news,
            NewsPage,
            slug,
            title=title,
            date=today - datetime.timedelta(days=days_ago),
            category=categories.get(category),
            summary=summary,
            source="幸福里社区居委会",
            pinned_until=today + datetime.timedelta(days=pinned) if pinned else None,
            body=[("paragraph", "".join(f"<p>{text}</p>" for text in paragraphs))],
            tags=tags,
        )

    now = timezone.localtime()
    for slug, title, in_days, hour, hours, place, capacity, summary in ACTIVITIES:
        start = (now + datetime.timedelta(days=in_days)).replace(
            hour=hour, minute=0, second=0, microsecond=0
        )
        ensure_child(
            site.activities,
            ActivityPage,
            slug,
            title=title,
            start=start,
            end=start + datetime.timedelta(hours=hours),
            place=place,
            organiser="幸福里社区居委会",
            capacity=capacity,
            summary=summary,
            body=[("paragraph", f"<p>{summary}</p><p>请提前十分钟到场。</p>")],
        )

    for slug, usernames in SIGNUPS.items():
        activity = ActivityPage.objects.child_of(site.activities).get(slug=slug)
        for username in usernames:
            if not activity.signups.active().filter(user=accounts[username]).exists():
                sign_up(activity, accounts[username])
