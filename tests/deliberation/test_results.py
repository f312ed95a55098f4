"""What a sealed result says, worded as what it is, where residents read it: the poll box of the
proposal page (a Civil Code motion's four tests, a choice's ranking), the API, the archive, the
auditors' workspace — and that a tie is a tie, never 未通过."""

import re
from datetime import timedelta
from html import unescape

from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest

from deliberation import ledger
from deliberation.models import Poll, PollKind, Rule
from deliberation.services import seal_poll
from deliberation.tally import live_counts
from tests.factories import (
    AuditorFactory,
    BallotFactory,
    PollFactory,
    ProposalPageFactory,
    sealed_civil_code_poll,
)

pytestmark = pytest.mark.django_db


def text_of(html: str) -> str:
    """The page as a reader sees it: no tags, one space between words (none after a colon,
    where a label ends and its figures follow on the next line)."""
    return re.sub(r"： ", "：", " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split()))


def poll_box(html: str, poll: Poll) -> str:
    start = html.index(f'id="poll-{poll.pk}"')
    return html[start : html.index("</section>\n", html.index("poll__seal", start))]


def close_and_seal(poll: Poll) -> Poll:
    """The poll reaches its announced close, then is sealed."""
    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    return seal_poll(Poll.objects.get(pk=poll.pk))


def gate_poll(proposal=None, votes=None, **fields) -> Poll:
    """A choice poll "安装位置选哪里？" with ``votes`` (label: number of ballots), sealed."""
    poll = PollFactory(
        proposal=proposal,
        title="安装位置选哪里？",
        kind=PollKind.CHOICE,
        rule=Rule.MOST_VOTES,
        choices=["东门", "西门", "南门"],
        **fields,
    )
    for label, number in (votes or {}).items():
        for _ in range(number):
            BallotFactory(poll=poll, choice=label)
    return close_and_seal(poll)


def test_a_sealed_civil_code_poll_shows_its_four_tests_as_lines_to_check():
    proposal = ProposalPageFactory(slug="facade", title="3号楼外墙保温层维修")
    poll = sealed_civil_code_poll(proposal=proposal)
    box = text_of(poll_box(Client().get(proposal.url).content.decode(), poll))
    # Four flats of 100 m², four owners; three agreed (two online, one on paper), one did not.
    assert "参与表决的业主人数：4 / 4，应达三分之二以上 ✓ 达到" in box
    assert "参与表决的专有部分面积：400.00 / 400.00㎡，应达三分之二以上 ✓ 达到" in box
    assert "同意的业主人数：3 / 4，应达四分之三以上 ✓ 达到" in box
    assert "同意的专有部分面积：300.00 / 400.00㎡，应达四分之三以上 ✓ 达到" in box
    assert "网上投票 2 票，纸质表决票 2 张，合并计算" in box
    assert "结果：通过" in box


def test_a_result_sealed_before_the_tests_were_stored_still_shows_them():
    proposal = ProposalPageFactory(slug="older")
    poll = sealed_civil_code_poll(proposal=proposal)
    stored = {
        key: value
        for key, value in poll.result.items()
        if key not in {"tests", "kind", "winner", "ranking", "tied"}
    }
    Poll.objects.filter(pk=poll.pk).update(result=stored)
    box = text_of(poll_box(Client().get(proposal.url).content.decode(), poll))
    assert "同意的业主人数：3 / 4，应达四分之三以上 ✓ 达到" in box
    assert "结果：通过" in box
    assert ledger.verify_poll(Poll.objects.get(pk=poll.pk)) == []


def test_a_civil_code_poll_still_open_shows_what_can_be_known_and_leaves_the_rest_to_the_seal():
    proposal = ProposalPageFactory(slug="open-civil")
    poll = PollFactory(proposal=proposal, civil_code=True)
    BallotFactory(poll=poll)
    html = Client().get(proposal.url).content.decode()
    section = html[html.index(f'id="poll-{poll.pk}"') : html.index('id="comments"')]
    box = text_of(section)
    assert "参与表决的业主人数：1 / 1，应达三分之二以上 ✓ 达到" in box
    assert "同意的业主人数：— / 1，应达四分之三以上 封存时确定" in box  # only the seal settles it
    assert "poll__outcome" not in section and "结果：" not in box  # nothing decided yet


def test_a_sealed_choice_poll_shows_its_ranking_and_the_option_chosen():
    proposal = ProposalPageFactory(slug="gate")
    poll = gate_poll(proposal, {"西门": 2, "东门": 1})
    box = text_of(poll_box(Client().get(proposal.url).content.decode(), poll))
    assert "结果：选出“西门”" in box
    assert "未通过" not in box
    ranking = box[box.index("1. 西门") :]
    assert ranking.index("1. 西门 选出 2票（66.7%）") < ranking.index("2. 东门 1票（33.3%）")
    assert ranking.index("2. 东门") < ranking.index("3. 南门 0票（0.0%）")
    assert "得票最多的一项当选" in box  # the rule, in words, for a choice


def test_a_tied_choice_poll_says_so_and_never_not_passed():
    proposal = ProposalPageFactory(slug="tied-gate")
    poll = gate_poll(proposal, {"西门": 1, "东门": 1})
    box = text_of(poll_box(Client().get(proposal.url).content.decode(), poll))
    assert "结果：票数相同（“东门”、“西门”），未能选出" in box
    assert "未通过" not in box
    assert "1. 东门 并列" in box and "1. 西门 并列" in box  # both in first place


def test_the_api_names_the_winner_of_a_sealed_choice_poll():
    poll = gate_poll(votes={"南门": 2, "西门": 1})
    tally = Client().get(f"/api/deliberation/polls/{poll.pk}/").json()["tally"]
    assert tally["kind"] == "choice"
    assert tally["outcome"] == "chosen"
    assert tally["winner"] == poll.choices.get(label="南门").pk
    assert tally["ranking"][0] == tally["winner"]


def test_the_api_names_no_winner_of_a_tie_or_of_a_motion():
    tie = gate_poll(votes={"南门": 1, "西门": 1})
    tally = Client().get(f"/api/deliberation/polls/{tie.pk}/").json()["tally"]
    assert (tally["outcome"], tally["winner"]) == ("tie", None)
    assert len(tally["tied"]) == 2
    motion = sealed_civil_code_poll()
    tally = Client().get(f"/api/deliberation/polls/{motion.pk}/").json()["tally"]
    assert (tally["kind"], tally["winner"], tally["outcome"]) == ("motion", None, "passed")
    assert [t["key"] for t in tally["tests"]] == [
        "owners_participation",
        "area_participation",
        "owners_agreement",
        "area_agreement",
    ]


def test_live_counts_come_in_the_sealed_shape_with_nothing_decided():
    poll = PollFactory(kind=PollKind.CHOICE, rule=Rule.MOST_VOTES, choices=["东门", "西门"])
    BallotFactory(poll=poll, choice="西门")
    counts = live_counts(poll)
    assert (counts["kind"], counts["outcome"], counts["winner"]) == ("choice", None, None)
    assert counts["ranking"] == [
        poll.choices.get(label="西门").pk,
        poll.choices.get(label="东门").pk,
    ]


def test_a_sealed_choice_poll_verifies_and_reads_as_chosen_in_the_archive_and_for_auditors(
    django_capture_on_commit_callbacks, client_for
):
    proposal = ProposalPageFactory(slug="gate-archive", title="门禁安装位置")
    with django_capture_on_commit_callbacks(execute=True):
        poll = gate_poll(proposal, {"东门": 2})
    assert ledger.verify_poll(poll) == []
    year = poll.sealed_at.year
    listing = Client().get("/archive/", {"year": str(year)}).content.decode()
    assert "结果：已选出" in listing
    assert "未通过" not in listing
    auditor = client_for(AuditorFactory())
    assert (
        "选出“东门”"
        in auditor.get(reverse("deliberation_audit_poll", args=[poll.pk])).content.decode()
    )
    assert "选出“东门”" in auditor.get(reverse("deliberation_audit")).content.decode()
