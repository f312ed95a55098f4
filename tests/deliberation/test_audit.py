"""What the supervision committee needs: who took part in an open (记名) poll, no counts of a
secret poll before its seal (auditors included), and who sealed, when, and any early close."""

import json

from django.test import Client

import pytest

from deliberation.audit import participants_export, poll_export, poll_summary
from deliberation.models import Poll
from deliberation.services import confirm_early_close
from tests.factories import (
    AuditorFactory,
    BallotFactory,
    EarlyCloseFactory,
    ModeratorFactory,
    PaperBallotFactory,
    PollFactory,
    ProposalPageFactory,
    ResidentFactory,
    seal_after_close,
)
from tests.factories.register import HouseholdFactory

pytestmark = pytest.mark.django_db

AUDIT = "/admin/audit/"


@pytest.fixture
def auditor(client_for) -> Client:
    return client_for(AuditorFactory())


@pytest.fixture
def secret_poll() -> Poll:
    """An open secret poll: two agree, one disagrees."""
    poll = PollFactory(proposal=ProposalPageFactory(slug="garden"), secret=True, title="不记名表决")
    BallotFactory(poll=poll, choice="同意")
    BallotFactory(poll=poll, choice="同意")
    BallotFactory(poll=poll, choice="不同意")
    return poll


@pytest.fixture
def open_poll() -> Poll:
    """An open (记名) household poll: one flat online by a named resident, one on paper."""
    poll = PollFactory(
        proposal=ProposalPageFactory(slug="bike-shed"), household=True, title="记名表决"
    )
    online = HouseholdFactory(building="2号楼", unit="1单元", room="301")
    paper = HouseholdFactory(building="2号楼", unit="1单元", room="302")
    BallotFactory(
        poll=poll,
        voter=ResidentFactory(display_name="陈阿姨", residency__household=online),
        household=online,
    )
    PaperBallotFactory(
        poll=poll,
        household=paper,
        entered_by=ModeratorFactory(display_name="录入员小周"),
        sheet="居民会议表决票 第7页",
    )
    return poll


# Secret polls: turnout only until the seal --------------------------------------------------


def test_auditors_see_no_counts_of_a_secret_poll_before_its_seal(auditor, secret_poll):
    summary = poll_summary(secret_poll)
    assert summary["choices"] is None and summary["participants"]["count"] == 3
    for url in (AUDIT, f"{AUDIT}polls/{secret_poll.pk}/"):
        html = auditor.get(url).content.decode()
        assert "同意：" not in html and "不同意：" not in html
        assert "封存后公布" in html
    page = auditor.get(f"{AUDIT}polls/{secret_poll.pk}/").content.decode()
    assert '"choices"' not in page  # no payload is shown
    exported = auditor.get(f"{AUDIT}polls/{secret_poll.pk}/export.json").json()
    assert exported["ballots"] == [] and exported["result"] is None
    assert all(entry["payload"] is None for entry in exported["ledger"])
    csv = auditor.get(f"{AUDIT}polls/{secret_poll.pk}/export.csv").content.decode()
    assert "同意" not in csv
    ledger = auditor.get(f"/api/deliberation/polls/{secret_poll.pk}/ledger/").json()
    assert ledger["payloads_withheld"] is True and len(ledger["entries"]) == 3
    assert all(e["payload"] is None and e["hash"] for e in ledger["entries"])


def test_once_sealed_the_secret_poll_shows_its_counts_to_auditors(auditor, secret_poll):
    seal_after_close(secret_poll)
    html = auditor.get(f"{AUDIT}polls/{secret_poll.pk}/").content.decode()
    assert "同意：2" in html and "不同意：1" in html
    exported = auditor.get(f"{AUDIT}polls/{secret_poll.pk}/export.json").json()
    assert len(exported["ballots"]) == 3
    ledger = auditor.get(f"/api/deliberation/polls/{secret_poll.pk}/ledger/").json()
    assert ledger["payloads_withheld"] is False
    assert json.loads(ledger["entries"][-1]["payload"])["kind"] == "close"


# Open polls: the participants -------------------------------------------------------------------


def test_auditors_see_who_took_part_in_an_open_poll(auditor, open_poll):
    html = auditor.get(f"{AUDIT}polls/{open_poll.pk}/").content.decode()
    for shown in ("2号楼-1单元-301", "陈阿姨", "2号楼-1单元-302", "录入员小周", "第7页"):
        assert shown in html
    rows = auditor.get(f"{AUDIT}polls/{open_poll.pk}/participants.json").json()["participants"]
    assert [(r["voter"], r["channel"]) for r in rows] == [
        ("2号楼-1单元-301", "online"),
        ("2号楼-1单元-302", "paper"),
    ]
    assert rows[0]["cast_by"] == "陈阿姨" and rows[0]["entered_by"] is None
    assert rows[1]["entered_by"] == "录入员小周" and rows[1]["sheet"] == "居民会议表决票 第7页"
    assert all(r["at"] for r in rows)
    csv = auditor.get(f"{AUDIT}polls/{open_poll.pk}/participants.csv")
    assert csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    # In the committee's words, with the channel named and local times.
    assert text.splitlines()[0] == "投票人（居民或住户）,投出人,方式,时间,录入人,纸质票编号"
    assert "录入员小周" in text and "陈阿姨" in text and ",纸质," in text
    assert "T" not in text.splitlines()[1].split(",")[3]


def test_a_person_poll_lists_people_by_their_public_name(auditor):
    poll = PollFactory()
    BallotFactory(poll=poll, voter=ResidentFactory(display_name="老刘", first_name="刘德"))
    rows = participants_export(poll)
    assert [r["voter"] for r in rows] == ["老刘"]
    assert "刘德" not in auditor.get(f"{AUDIT}polls/{poll.pk}/").content.decode()


def test_a_secret_polls_participants_are_not_listed(auditor, secret_poll):
    assert participants_export(secret_poll) is None
    html = auditor.get(f"{AUDIT}polls/{secret_poll.pk}/").content.decode()
    assert "不列出参与者名单" in html
    for kind in ("csv", "json"):
        assert auditor.get(f"{AUDIT}polls/{secret_poll.pk}/participants.{kind}").status_code == 404


def test_participants_are_never_public(client_for, open_poll):
    for client in (Client(), client_for(ResidentFactory()), client_for(ModeratorFactory())):
        assert client.get(f"{AUDIT}polls/{open_poll.pk}/participants.json").status_code in {
            302,
            403,
        }
    page = Client().get(open_poll.proposal.url).content.decode()
    api = Client().get(f"/api/deliberation/polls/{open_poll.pk}/").content.decode()
    for text in (page, api):
        assert "录入员小周" not in text and "第7页" not in text and "2号楼-1单元-302" not in text


# Who sealed, when, and any early close -----------------------------------------------------------


def test_the_workspace_says_who_sealed_and_why_a_poll_closed_early(auditor, open_poll):
    on_time = seal_after_close(PollFactory(title="按时截止的表决"))
    request = EarlyCloseFactory(
        poll=open_poll, requested_by=ModeratorFactory(display_name="李主任"), reason="停水检修"
    )
    confirm_early_close(request, ModeratorFactory(display_name="张书记"))
    lapsed_poll = PollFactory(title="申请已失效的表决")
    lapsed = EarlyCloseFactory(poll=lapsed_poll, reason="误操作")
    type(lapsed).objects.filter(pk=lapsed.pk).update(
        requested_at=lapsed.requested_at.replace(year=2020)
    )
    pending = PollFactory(title="等待确认的表决")
    EarlyCloseFactory(poll=pending, reason="等待中的原因")

    index = auditor.get(AUDIT).content.decode()
    assert "系统按时封存" in index and "由张书记封存" in index and "停水检修" in index
    page = auditor.get(f"{AUDIT}polls/{open_poll.pk}/").content.decode()
    assert "由张书记封存" in page and "由李主任提出，经张书记确认" in page and "停水检修" in page
    assert "原定截止" in page
    assert "系统按时封存" in auditor.get(f"{AUDIT}polls/{on_time.pk}/").content.decode()
    assert "已失效" in auditor.get(f"{AUDIT}polls/{lapsed_poll.pk}/").content.decode()
    requests = auditor.get("/admin/deliberation/early-closes/").content.decode()
    assert "误操作" in requests and "等待确认" in requests and "等待中的原因" in requests
    assert "确认提前截止" not in requests  # auditors read; they do not confirm
    summary = poll_summary(Poll.objects.get(pk=open_poll.pk))
    assert summary["closing"]["early_close"]["reason"] == "停水检修"
    assert poll_export(Poll.objects.get(pk=on_time.pk))["sealed_by"] is None
