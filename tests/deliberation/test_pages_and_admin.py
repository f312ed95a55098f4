"""The proposal page (voting, results, timeline) and the admin screens of editors and moderators."""

import datetime

from django.core.management import call_command
from django.test import Client
from django.utils import timezone

import pytest

from community.models import Residency, ResidencyStatus
from deliberation.models import (
    Choice,
    Participation,
    Poll,
    ProgressUpdate,
    ProposalPage,
    ProposalStage,
    StageTransition,
)
from deliberation.services import rate_proposal
from tests.factories import (
    AuditorFactory,
    EditorFactory,
    HouseholdFactory,
    ModeratorFactory,
    NewcomerFactory,
    PollFactory,
    ProposalPageFactory,
    ResidentFactory,
    StandardPageFactory,
    configured_site,
    sealed_civil_code_poll,
)
from tests.html import PageReader

pytestmark = pytest.mark.django_db

GARDEN = "/yishiting/garden-renewal/"
BIKES = "/yishiting/bike-shed-charging/"
ELEVATOR = "/yishiting/elevator-maintenance-fund/"


def garden_renewal() -> ProposalPage:
    """In the voting stage, with a secret poll of one ballot per person."""
    garden = ProposalPageFactory(
        slug="garden-renewal", title="小花园微改造方案", stage=ProposalStage.VOTING
    )
    PollFactory(proposal=garden, title="是否同意小花园微改造方案？", secret=True)
    return garden


@pytest.fixture
def garden_poll() -> Poll:
    return garden_renewal().polls.get()


@pytest.fixture
def bike_shed_poll() -> Poll:
    """Where the charging points go: one ballot per flat, by name, three places to choose."""
    bike_shed = ProposalPageFactory(slug="bike-shed-charging", title="非机动车棚加装充电桩")
    return PollFactory(
        proposal=bike_shed,
        title="充电桩安装位置选哪里？",
        household=True,
        choices=["2号楼旁车棚", "北门车棚", "两处都装"],
    )


@pytest.fixture
def newcomers_claim() -> Residency:
    """A newcomer's claim on a flat, waiting for a moderator, and a verified resident's."""
    ResidentFactory(username="resident1")
    return NewcomerFactory(username="newcomer").residencies.get()


def test_a_resident_votes_on_the_proposal_page_and_sees_the_receipt(client_for, bike_shed_poll):
    poll = Poll.objects.get(proposal__slug="bike-shed-charging")
    client = client_for(ResidentFactory(username="resident1"))
    page = PageReader(client.get(BIKES).content.decode())
    options = [i for i in page.find_all("input") if i.get("name") == "choices"]
    assert len(options) == 3 and all(i.get("type") == "radio" for i in options)
    response = client.post(
        f"/polls/{poll.pk}/vote/",
        {"choices": [options[0].get("value")], "confirm": "1"},
        follow=True,
    )
    html = response.content.decode()
    assert "投票已记录" in html and "回执码" in html
    receipt = Participation.objects.get(poll=poll, user__username="resident1").ballot.receipt
    assert receipt in html
    assert 'name="choices"' not in html  # no second form once the household has voted


def test_a_refused_vote_shows_the_reason_with_a_4xx(client_for, bike_shed_poll):
    poll = Poll.objects.get(proposal__slug="bike-shed-charging")
    response = client_for(NewcomerFactory()).post(f"/polls/{poll.pk}/vote/", {"choices": ["x"]})
    assert response.status_code == 403
    assert "认证" in response.content.decode()
    assert client_for(ResidentFactory()).post(f"/polls/{poll.pk}/vote/", {}).status_code == 400


def test_visitors_are_asked_to_sign_in_to_vote(garden_poll):
    poll = Poll.objects.get(proposal__slug="garden-renewal")
    html = Client().get(GARDEN).content.decode()
    assert "登录后投票" in html
    response = Client().post(f"/polls/{poll.pk}/vote/", {"choices": ["1"]})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_secret_poll_page_shows_turnout_but_no_counts(client_for, garden_poll):
    poll = Poll.objects.get(proposal__slug="garden-renewal")
    voter, *_others = ResidentFactory.create_batch(30)
    client_for(voter).post(
        f"/polls/{poll.pk}/vote/", {"choices": [poll.choices.first().pk], "confirm": "1"}
    )
    html = Client().get(GARDEN).content.decode()
    assert "已投票 1 / 30" in html
    poll_section = html[html.index(f'id="poll-{poll.pk}"') : html.index('id="comments"')]
    assert "<meter" not in poll_section and "poll__results" not in poll_section
    assert "表决截止后公布" in html


def test_sealed_poll_shows_rule_counts_and_result_as_accessible_bars():
    elevator = ProposalPageFactory(
        slug="elevator-maintenance-fund",
        title="使用维修资金更换1号楼电梯",
        stage=ProposalStage.PUBLICISED,
    )
    sealed_civil_code_poll(proposal=elevator, title="是否同意使用专项维修资金更换1号楼电梯？")
    html = Client().get(ELEVATOR).content.decode()
    page = PageReader(html)
    assert "结果：通过" in html
    assert "民法典第二百七十八条" in html
    assert len([m for m in page.find_all("meter") if m.get("class") != "stances__bar"]) == 3
    # One list item per choice, its label read before its figures (no table to crush).
    rows = [li for li in page.find_all("li") if li.get("class", "").startswith("poll__row")]
    assert [row.text.split()[0] for row in rows] == ["同意", "不同意", "弃权"]


def test_proposal_page_queries_do_not_grow_with_ballots(client_for, garden_poll, settings):
    settings.PAGE_CACHE_SECONDS = 0  # measure the page's rendering, not the anonymous cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    configured_site()  # its profile and menu saved: a first visit would save them mid-count
    poll = Poll.objects.get(proposal__slug="garden-renewal")
    first, *others = ResidentFactory.create_batch(20)
    visitor, resident = Client(), client_for(first)

    def queries(client) -> int:
        client.get(GARDEN)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(GARDEN).status_code == 200
        return len(captured)

    before = queries(visitor), queries(resident)
    for other in others:
        client_for(other).post(
            f"/polls/{poll.pk}/vote/", {"choices": [poll.choices.first().pk], "confirm": "1"}
        )
    assert (queries(visitor), queries(resident)) == before
    assert before[0] <= 15 and before[1] <= 21, before


def test_timeline_records_each_published_stage_change():
    moderator = ModeratorFactory()
    ProposalPageFactory(slug="parking-rules", title="小区停车位管理办法", stage="collecting")
    proposal = ProposalPage.objects.get(slug="parking-rules")
    before = proposal.stage_transitions.count()
    proposal.stage = ProposalStage.DISCUSSING
    proposal.save_revision(user=moderator).publish()
    last = proposal.stage_transitions.order_by("-moved_at", "-pk").first()
    assert proposal.stage_transitions.count() == before + 1
    assert (last.from_stage, last.to_stage, last.moved_by) == (
        "collecting",
        "discussing",
        moderator,
    )
    proposal.title = "小区停车位管理办法（修订）"
    proposal.save_revision(user=moderator).publish()
    assert proposal.stage_transitions.count() == before + 1  # no stage change, no entry
    html = Client().get("/yishiting/parking-rules/").content.decode()
    assert "协商" in html and "时间线" in html


def test_seal_polls_command_seals_what_has_closed():
    now = timezone.now()
    poll = Poll.objects.create(
        title="昨日截止",
        opens_at=now - datetime.timedelta(days=2),
        closes_at=now - datetime.timedelta(hours=1),
    )
    Choice.objects.create(poll=poll, label="同意")
    call_command("seal_polls", verbosity=0)
    poll.refresh_from_db()
    assert poll.sealed_at is not None and poll.result["outcome"] == "rejected"


# Admin ------------------------------------------------------------------------------------------


def test_editors_set_up_polls_in_the_admin(client_for):
    client = client_for(EditorFactory())
    assert client.get("/admin/snippets/deliberation/poll/").status_code == 200
    assert client.get("/admin/snippets/deliberation/poll/add/").status_code == 200
    assert "民法典" in client.get("/admin/snippets/deliberation/poll/add/").content.decode()


def test_civil_code_rules_need_household_units_weighed_by_area():
    from django.core.exceptions import ValidationError

    now = timezone.now()
    poll = Poll(
        title="x", opens_at=now, closes_at=now + datetime.timedelta(days=1), rule="civil_code_major"
    )
    with pytest.raises(ValidationError) as raised:
        poll.full_clean()
    assert "rule" in raised.value.message_dict


def test_moderators_see_pending_claims_and_verify_them(client_for, newcomers_claim):
    moderator = ModeratorFactory()
    client = client_for(moderator)
    listing = client.get("/admin/snippets/community/residency/?status=pending").content.decode()
    assert "newcomer" in listing and "resident1" not in listing
    claim = newcomers_claim
    response = client.post(f"/admin/community/claims/{claim.pk}/verify/")
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == ResidencyStatus.VERIFIED and claim.decided_by == moderator


def test_editors_and_residents_cannot_verify_claims(client_for, newcomers_claim):
    claim = newcomers_claim
    for account in (EditorFactory(), ResidentFactory(), AuditorFactory()):
        response = client_for(account).post(f"/admin/community/claims/{claim.pk}/verify/")
        assert response.status_code in {302, 403}
    claim.refresh_from_db()
    assert claim.status == ResidencyStatus.PENDING


def test_moderators_enter_paper_ballots_and_the_unit_rule_holds(client_for, bike_shed_poll):
    poll = Poll.objects.get(proposal__slug="bike-shed-charging")
    household = HouseholdFactory()
    moderator = ModeratorFactory()
    client = client_for(moderator)
    url = f"/admin/deliberation/polls/{poll.pk}/paper/"
    data = {
        "sheet": "居民会议表决票 第1页",
        "household": household.pk,
        "choices": [poll.choices.first().pk],
    }
    assert client.post(url, data).status_code == 302
    participation = Participation.objects.get(poll=poll, household=household)
    assert participation.channel == "paper" and participation.entered_by == moderator
    assert participation.paper_sheet == "居民会议表决票 第1页"
    again = client.post(url, data)
    assert again.status_code == 409 and "已经" in again.content.decode()
    assert client_for(EditorFactory()).get(url).status_code in {302, 403}


def test_moderators_seal_a_poll_once_it_is_due_after_confirming(client_for, bike_shed_poll):
    poll = Poll.objects.get(proposal__slug="bike-shed-charging")
    moderator = ModeratorFactory()
    client = client_for(moderator)
    url = f"/admin/deliberation/polls/{poll.pk}/seal/"
    early = client.get(url).content.decode()
    assert "届时才能封存" in early and "提前截止" in early
    assert client.post(url, follow=True).status_code == 200
    poll.refresh_from_db()
    assert poll.sealed_at is None  # not due: refused, nothing changed
    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now() - datetime.timedelta(minutes=1))
    page = client.get(url)
    assert page.status_code == 200 and "封存表决" in page.content.decode()
    poll.refresh_from_db()
    assert poll.sealed_at is None  # a GET only asks
    assert client.post(url).status_code == 302
    poll.refresh_from_db()
    assert poll.sealed_at is not None and poll.result is not None
    assert poll.sealed_by == moderator
    assert StageTransition.objects.exists()


def test_a_newcomer_claims_a_household_and_waits_for_verification():
    from home.models import User

    HouseholdFactory(building="1号楼", unit="1单元", room="101")
    user = User.objects.create_user("lin_shushu", password="a-long-pass-phrase-2026")
    client = Client()
    client.force_login(user)
    page = client.get("/accounts/household/")
    assert page.status_code == 200 and "1号楼" in page.content.decode()
    bad = client.post("/accounts/household/", {"building": "1号楼", "unit": "1单元", "room": "999"})
    assert bad.status_code == 400 and "没有找到" in bad.content.decode()
    response = client.post(
        "/accounts/household/", {"building": "1号楼", "unit": "1单元", "room": "101"}, follow=True
    )
    assert "待审核" in response.content.decode()
    assert Residency.objects.get(user=user).status == ResidencyStatus.PENDING
    again = client.post(
        "/accounts/household/", {"building": "1号楼", "unit": "1单元", "room": "101"}
    )
    assert again.status_code == 409
    assert Client().get("/accounts/household/").status_code == 302


def test_a_poll_embedded_in_any_page_takes_votes_and_returns_there(client_for):
    from home.models import StandardPage

    now = timezone.now()
    poll = Poll.objects.create(
        title="楼道灯光颜色投票", opens_at=now, closes_at=now + datetime.timedelta(days=3)
    )
    warm = Choice.objects.create(poll=poll, label="暖光", sort_order=0)
    Choice.objects.create(poll=poll, label="白光", sort_order=1)
    StandardPageFactory(title="办事指南", slug="guide")
    guide = StandardPage.objects.get(slug="guide")
    page = StandardPage(title="灯光征求意见", slug="lights", body=[("poll", poll)])
    guide.add_child(instance=page)
    page.save_revision().publish()

    client = client_for(ResidentFactory())
    html = client.get("/guide/lights/").content.decode()
    assert "楼道灯光颜色投票" in html and 'name="next" value="/guide/lights/"' in html
    response = client.post(
        f"/polls/{poll.pk}/vote/", {"choices": [warm.pk], "next": "/guide/lights/", "confirm": "1"}
    )
    assert response.status_code == 302 and response["Location"] == "/guide/lights/"
    evil = client_for(ResidentFactory()).post(
        f"/polls/{poll.pk}/vote/",
        {"choices": [warm.pk], "next": "https://evil.example/", "confirm": "1"},
    )
    assert evil["Location"] == "/"
    assert "暖光" in client.get("/guide/lights/").content.decode()


def test_the_hall_lists_open_items_first_and_filters_by_stage_and_year():
    ProposalPageFactory(title="楼道声控灯更换", stage=ProposalStage.ARCHIVED)
    ProposalPageFactory(title="小花园微改造方案", stage=ProposalStage.VOTING)
    html = Client().get("/yishiting/").content.decode()
    assert html.index("小花园微改造方案") < html.index("楼道声控灯更换")
    voting = Client().get("/yishiting/", {"stage": "voting"}).content.decode()
    assert "小花园微改造方案" in voting and "楼道声控灯更换" not in voting
    this_year = timezone.now().year
    assert "小花园微改造方案" in Client().get("/yishiting/", {"year": this_year}).content.decode()
    assert "小花园微改造方案" not in Client().get("/yishiting/", {"year": 2001}).content.decode()
    for bad in ({"stage": "nonsense"}, {"year": "abc"}, {"year": "99999999999"}, {"page": "x"}):
        assert Client().get("/yishiting/", bad).status_code == 200


def test_residents_rate_a_reviewed_proposal_once(client_for):
    ProposalPageFactory(
        slug="sorting-kiosk", title="垃圾分类亭加装雨棚和洗手池", stage=ProposalStage.REVIEWED
    )
    garden_renewal()
    kiosk = ProposalPage.objects.get(slug="sorting-kiosk")
    for score in (5, 4, 5, 3, 4):
        rate_proposal(kiosk, ResidentFactory(), score)
    html = Client().get(kiosk.url).content.decode()
    assert "5 分" in html or "平均" in html
    client = client_for(ResidentFactory())
    assert client.post(f"/proposals/{kiosk.pk}/rate/", {"score": "4"}).status_code == 302
    again = client.post(f"/proposals/{kiosk.pk}/rate/", {"score": "5"})
    assert again.status_code == 409 and "已经评价" in again.content.decode()
    assert (
        client_for(ResidentFactory())
        .post(f"/proposals/{kiosk.pk}/rate/", {"score": "9"})
        .status_code
        == 400
    )
    assert (
        client_for(NewcomerFactory())
        .post(f"/proposals/{kiosk.pk}/rate/", {"score": "3"})
        .status_code
        == 403
    )
    garden = ProposalPage.objects.get(slug="garden-renewal")
    assert (
        client_for(ResidentFactory())
        .post(f"/proposals/{garden.pk}/rate/", {"score": "3"})
        .status_code
        == 409
    )
    assert kiosk.ratings.count() == 6


def test_progress_updates_show_on_the_proposal():
    benches = ProposalPageFactory(
        slug="new-benches", title="小花园增设长椅", stage=ProposalStage.IMPLEMENTING
    )
    ProgressUpdate.objects.create(proposal=benches, text="六张长椅已安装四张，剩余两张本周内完成。")
    html = Client().get("/yishiting/new-benches/").content.decode()
    assert "六张长椅已安装四张" in html and "进展" in html


def test_residents_suggest_topics_and_editors_see_them(client_for):
    from deliberation.models import TopicSuggestion

    client = client_for(ResidentFactory(username="resident20"))
    assert client.post("/suggestions/", {"title": "", "description": ""}).status_code == 400
    response = client.post(
        "/suggestions/",
        {"title": "增设充电车棚", "description": "<script>alert(1)</script>电动车太多"},
        follow=True,
    )
    html = response.content.decode()
    assert "增设充电车棚" in html and "<script>alert(1)</script>" not in html
    assert TopicSuggestion.objects.filter(user__username="resident20").count() == 1
    listing = client_for(EditorFactory()).get("/admin/snippets/deliberation/topicsuggestion/")
    assert listing.status_code == 200 and "增设充电车棚" in listing.content.decode()
    assert Client().get("/suggestions/").status_code == 302


def test_a_poll_with_ballots_can_no_longer_be_edited(client_for, bike_shed_poll):
    from django.core.exceptions import ValidationError

    poll = Poll.objects.get(proposal__slug="bike-shed-charging")
    poll.full_clean()  # no ballots yet: editable
    client_for(ResidentFactory()).post(
        f"/polls/{poll.pk}/vote/", {"choices": [poll.choices.first().pk], "confirm": "1"}
    )
    poll.rule = "two_thirds"
    with pytest.raises(ValidationError, match="新建表决"):
        poll.full_clean()
    edit = client_for(EditorFactory()).get(f"/admin/snippets/deliberation/poll/edit/{poll.pk}/")
    assert edit.status_code == 200


def test_the_claims_listing_does_not_query_per_claim(client_for, django_assert_max_num_queries):
    ResidentFactory.create_batch(18)
    NewcomerFactory.create_batch(2)
    client = client_for(ModeratorFactory())
    client.get("/admin/snippets/community/residency/")
    assert Residency.objects.count() >= 20
    with django_assert_max_num_queries(15):
        assert client.get("/admin/snippets/community/residency/").status_code == 200
