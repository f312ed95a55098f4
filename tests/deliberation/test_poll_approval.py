"""A poll reaches residents only after a moderator approves it (issue 14, deliverable 3).

An editor's poll is a draft (Wagtail's draft state, revisions and the 社区审核 workflow, as for
pages): residents neither see it nor vote in it, on the page, through the form or the API,
until a moderator approves it in the admin. A poll of an unpublished or restricted proposal is
likewise never listed, shown or accepted. Once ballots exist, approving an older draft does not
change what the voters answered.
"""

import json
from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wagtail.models import PageViewRestriction, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data

import pytest

from core.exceptions import Refused
from deliberation.models import Choice, Poll, ProposalStage
from deliberation.services import cast_ballot, seal_poll
from tests.factories import (
    AuditorFactory,
    BallotFactory,
    EditorFactory,
    ModeratorFactory,
    PaperBallotFactory,
    PollFactory,
    ProposalPageFactory,
    ResidentFactory,
)
from tests.factories.deliberation import seal_after_close

pytestmark = pytest.mark.django_db

QUESTION = "是否同意在3号楼北侧增设电动自行车充电棚？"


@pytest.fixture
def proposal():
    return ProposalPageFactory(slug="charging-shed", stage=ProposalStage.VOTING)


def admin_form(proposal, title: str = QUESTION, **extra) -> dict:
    """What the snippet editor posts for a new motion: open since an hour, for a week."""
    now = timezone.localtime()
    return nested_form_data(
        {
            "proposal": proposal.pk,
            "title": title,
            "description": "充电棚由物业统一建设，费用从公共收益中列支。",
            "kind": "motion",
            "choices": inline_formset([{"label": "同意"}, {"label": "不同意"}, {"label": "弃权"}]),
            "opens_at": (now - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M"),
            "closes_at": (now + timedelta(days=7)).strftime("%Y-%m-%d %H:%M"),
            "voters": "residents",
            "eligibility": "verified",
            "weighting": "one",
            "max_choices": 1,
            "scope": inline_formset([]),
            "rule": "simple_majority",
            "quorum_percent": 50,
            **extra,
        }
    )


def api_ids(client: Client) -> set[int]:
    response = client.get("/api/deliberation/polls/")
    assert response.status_code == 200
    return {poll["id"] for poll in response.json()}


def api_ballot(client: Client, poll: Poll):
    choice = poll.choices.order_by("sort_order").first()
    return client.post(
        f"/api/deliberation/polls/{poll.pk}/ballots/",
        {"choices": [choice.pk]},
        content_type="application/json",
    )


def form_ballot(client: Client, poll: Poll):
    choice = poll.choices.order_by("sort_order").first()
    return client.post(f"/polls/{poll.pk}/vote/", {"choices": [choice.pk], "confirm": "1"})


def assert_invisible(poll: Poll, client: Client, proposal=None) -> None:
    """Neither listed, shown nor accepted: API list and detail, API and form ballots."""
    assert poll.pk not in api_ids(client)
    assert client.get(f"/api/deliberation/polls/{poll.pk}/").status_code == 404
    refused = api_ballot(client, poll)
    assert refused.status_code == 404
    assert refused.json()["detail"] == "没有这个表决。"
    voted = form_ballot(client, poll)
    assert voted.status_code == 404
    assert poll.title not in voted.content.decode()
    assert not poll.participations.exists()


# An editor writes, a moderator approves -------------------------------------------------------


def test_an_editors_poll_is_a_draft_until_a_moderator_approves_it(client_for, proposal):
    editor, moderator, resident = EditorFactory(), ModeratorFactory(), ResidentFactory()
    as_editor, as_resident = client_for(editor), client_for(resident)

    form_page = as_editor.get(reverse("wagtailsnippets_deliberation_poll:add")).content.decode()
    assert 'name="action-submit"' in form_page
    assert 'name="action-publish"' not in form_page  # an editor cannot publish a poll

    created = as_editor.post(reverse("wagtailsnippets_deliberation_poll:add"), admin_form(proposal))
    assert created.status_code == 302, created.context["form"].errors
    poll = Poll.objects.get(title=QUESTION)
    assert not poll.live
    assert [c.label for c in poll.choices.order_by("sort_order")] == ["同意", "不同意", "弃权"]

    # Invisible everywhere a resident looks, and no ballot is taken.
    assert QUESTION not in as_resident.get(proposal.url).content.decode()
    assert QUESTION not in Client().get(proposal.url).content.decode()
    assert_invisible(poll, as_resident)
    with pytest.raises(Refused) as refusal:
        cast_ballot(poll, resident, [poll.choices.first().pk])
    assert refusal.value.status == 404
    # Nor by an editor posting "publish" by hand.
    edit_url = reverse("wagtailsnippets_deliberation_poll:edit", args=[poll.pk])
    as_editor.post(edit_url, admin_form(proposal, **{"action-publish": "1"}))
    assert not Poll.objects.get(pk=poll.pk).live

    # The editor submits it; it waits for the moderators, still invisible.
    submitted = as_editor.post(edit_url, admin_form(proposal, **{"action-submit": "1"}))
    assert submitted.status_code == 302
    poll = Poll.objects.get(pk=poll.pk)
    assert poll.workflow_in_progress and not poll.live
    assert poll.pk not in api_ids(as_resident)
    task_state = poll.current_workflow_task_state
    assert task_state.task.specific.get_actions(poll, editor) == []

    # A moderator approves it in the admin, with Wagtail's workflow screen for snippets.
    approve_url = reverse(
        "wagtailsnippets_deliberation_poll:workflow_action",
        args=[poll.pk, "approve", task_state.pk],
    )
    assert client_for(editor).post(approve_url, {"comment": ""}).status_code in {302, 403}
    assert not Poll.objects.get(pk=poll.pk).live  # the editor cannot approve their own
    approved = client_for(moderator).post(approve_url, {"comment": "同意发布"})
    assert approved.status_code == 302
    poll = Poll.objects.get(pk=poll.pk)
    assert poll.live
    assert poll.workflow_states.get().status == WorkflowState.STATUS_APPROVED

    # Now residents see it and vote in it, by form and by API.
    assert QUESTION in Client().get(proposal.url).content.decode()
    assert poll.pk in api_ids(Client())
    assert Client().get(f"/api/deliberation/polls/{poll.pk}/").status_code == 200
    assert form_ballot(as_resident, poll).status_code == 302
    assert api_ballot(client_for(ResidentFactory()), poll).status_code == 201
    assert poll.participations.count() == 2

    # Its history is kept: the draft, the submitted version, what was approved.
    assert poll.revisions.count() >= 2
    assert poll.live_revision is not None
    history = client_for(moderator).get(
        reverse("wagtailsnippets_deliberation_poll:history", args=[poll.pk])
    )
    assert history.status_code == 200


def test_the_roles_fit_the_poll_workflow():
    editor, moderator = EditorFactory(), ModeratorFactory()
    assert editor.has_perms(["deliberation.add_poll", "deliberation.change_poll"])
    assert not editor.has_perm("deliberation.publish_poll")
    assert moderator.has_perms(
        ["deliberation.add_poll", "deliberation.change_poll", "deliberation.publish_poll"]
    )
    assert not AuditorFactory().has_perm("deliberation.publish_poll")
    assert Poll.get_default_workflow().name == "社区审核"


def test_a_moderators_rejection_keeps_the_poll_from_residents(client_for, proposal):
    poll = PollFactory(proposal=proposal, draft=True)
    poll.save_revision(user=EditorFactory())
    state = Poll.get_default_workflow().start(poll, EditorFactory())
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, ModeratorFactory(), "reject")
    assert not Poll.objects.get(pk=poll.pk).live
    assert_invisible(poll, client_for(ResidentFactory()))


# Approving after ballots exist -----------------------------------------------------------------


def test_approving_an_older_draft_after_ballots_does_not_change_what_voters_answered():
    poll = PollFactory(title="是否同意更换小区大门门禁？", choices=["同意", "不同意", "弃权"])
    original_choices = list(poll.choices.order_by("sort_order").values_list("pk", "label"))
    poll.save_revision(user=ModeratorFactory()).publish()  # the approved version

    # An editor drafts a change before anyone votes...
    draft = Poll.objects.get(pk=poll.pk)
    draft.title = "是否同意拆除小区大门？"
    draft.rule = "two_thirds"
    draft.closes_at = draft.closes_at + timedelta(days=30)
    draft.choices = [Choice(label="拆"), Choice(label="不拆")]
    draft.save_revision(user=EditorFactory())
    assert Poll.objects.get(pk=poll.pk).title == "是否同意更换小区大门门禁？"

    # ...residents vote on the live question...
    BallotFactory(poll=Poll.objects.get(pk=poll.pk), choice="同意")
    BallotFactory(poll=Poll.objects.get(pk=poll.pk), choice="不同意")

    # ...and a moderator then approves the old draft through the workflow.
    live = Poll.objects.get(pk=poll.pk)
    state = Poll.get_default_workflow().start(live, EditorFactory())
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, ModeratorFactory(), "approve")

    after = Poll.objects.get(pk=poll.pk)
    assert after.live
    assert after.title == "是否同意更换小区大门门禁？"
    assert after.rule == "simple_majority"
    assert after.closes_at == poll.closes_at
    assert list(after.choices.order_by("sort_order").values_list("pk", "label")) == (
        original_choices
    )
    assert after.participations.count() == 2
    sealed = seal_after_close(after)
    assert {c["label"]: c["count"] for c in sealed.result["choices"]}["同意"] == 1


def test_publishing_keeps_the_poll_sealed_with_its_result():
    poll = PollFactory(title="楼道照明时段")
    revision = Poll.objects.get(pk=poll.pk).save_revision(user=EditorFactory())
    BallotFactory(poll=poll)
    sealed = seal_after_close(Poll.objects.get(pk=poll.pk))
    revision.publish(user=ModeratorFactory())
    after = Poll.objects.get(pk=poll.pk)
    assert after.sealed_at == sealed.sealed_at
    assert after.result == sealed.result
    assert after.ledger_head == sealed.ledger_head


# Polls of unpublished or restricted proposals --------------------------------------------------


@pytest.mark.parametrize("visitor", ["anonymous", "resident"])
def test_a_poll_of_an_unpublished_proposal_is_neither_listed_nor_accepted(client_for, visitor):
    proposal = ProposalPageFactory(slug="withdrawn", stage=ProposalStage.VOTING)
    poll = PollFactory(proposal=proposal)
    proposal.unpublish()
    client = Client() if visitor == "anonymous" else client_for(ResidentFactory())
    assert_invisible(poll, client)
    assert client.get(proposal.url or "/yishiting/withdrawn/").status_code == 404


@pytest.mark.parametrize("visitor", ["anonymous", "resident"])
def test_a_poll_of_a_password_restricted_proposal_is_neither_listed_nor_accepted(
    client_for, visitor
):
    proposal = ProposalPageFactory(slug="private", stage=ProposalStage.VOTING)
    poll = PollFactory(proposal=proposal, title="内部表决")
    PageViewRestriction.objects.create(page=proposal, restriction_type="password", password="x")
    client = Client() if visitor == "anonymous" else client_for(ResidentFactory())
    assert_invisible(poll, client)
    assert "内部表决" not in client.get(proposal.url).content.decode()


def test_a_visitor_who_gave_the_password_sees_the_poll_and_votes(client_for):
    proposal = ProposalPageFactory(slug="private", stage=ProposalStage.VOTING)
    poll = PollFactory(proposal=proposal, title="内部表决")
    restriction = PageViewRestriction.objects.create(
        page=proposal, restriction_type="password", password="x"
    )
    client = client_for(ResidentFactory())
    passed = client.post(
        reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, proposal.pk]),
        {"password": "x", "return_url": proposal.url},
    )
    assert passed.status_code == 302
    assert "内部表决" in client.get(proposal.url).content.decode()
    assert poll.pk in api_ids(client)
    assert api_ballot(client, poll).status_code == 201


def test_a_sign_in_restriction_hides_polls_from_anonymous_visitors_only(client_for):
    proposal = ProposalPageFactory(slug="members", stage=ProposalStage.VOTING)
    poll = PollFactory(proposal=proposal)
    PageViewRestriction.objects.create(page=proposal.get_parent(), restriction_type="login")
    assert poll.pk not in api_ids(Client())
    assert Client().get(f"/api/deliberation/polls/{poll.pk}/").status_code == 404
    resident = client_for(ResidentFactory())
    assert poll.pk in api_ids(resident)
    assert form_ballot(resident, poll).status_code == 302


def test_a_receipt_does_not_name_a_poll_that_is_no_longer_public(client_for):
    proposal = ProposalPageFactory(slug="private", stage=ProposalStage.VOTING)
    poll = PollFactory(proposal=proposal, title="内部表决")
    ballot = BallotFactory(poll=poll)
    PageViewRestriction.objects.create(page=proposal, restriction_type="password", password="x")
    found = Client().get(f"/api/deliberation/receipts/{ballot.receipt}/")
    assert found.status_code == 200
    assert found.json()["poll"] is None and found.json()["poll_title"] is None
    page = Client().get("/receipts/", {"code": ballot.receipt}).content.decode()
    assert "内部表决" not in page and "未公开的表决" in page


# Everything else that shows or acts on polls ---------------------------------------------------


def test_paper_ballots_are_refused_for_a_draft():
    poll = PollFactory(household=True, draft=True)
    with pytest.raises(Refused) as refusal:
        PaperBallotFactory(poll=poll)
    assert refusal.value.status == 404


def test_an_embedded_draft_poll_shows_nothing(client_for):
    from home.models import StandardPage
    from tests.factories import StandardPageFactory

    draft = PollFactory(title="楼道灯光颜色投票", draft=True)
    StandardPageFactory(title="办事指南", slug="guide")
    page = StandardPage(title="灯光征求意见", slug="lights", body=[("poll", draft)])
    StandardPage.objects.get(slug="guide").add_child(instance=page)
    page.save_revision().publish()
    assert (
        "楼道灯光颜色投票"
        not in client_for(ResidentFactory()).get("/guide/lights/").content.decode()
    )
    draft.save_revision().publish()
    assert (
        "楼道灯光颜色投票" in client_for(ResidentFactory()).get("/guide/lights/").content.decode()
    )


def test_seal_polls_leaves_a_draft_past_its_close_alone():
    past = timezone.now() - timedelta(days=10)
    draft = PollFactory(draft=True, opens_at=past, closes_at=past + timedelta(days=3))
    due = PollFactory(opens_at=past, closes_at=past + timedelta(days=3))
    call_command("seal_polls", stdout=StringIO())
    draft.refresh_from_db()
    due.refresh_from_db()
    assert draft.sealed_at is None and not draft.live
    assert due.sealed_at is not None


def test_the_archive_export_holds_only_polls_anyone_may_see(tmp_path):
    public = ProposalPageFactory(slug="public")
    private = ProposalPageFactory(slug="private")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    shown = seal_after_close(PollFactory(proposal=public))
    # A draft is never sealed; a sealed poll taken back out of publication stays out.
    withdrawn = seal_after_close(PollFactory(proposal=public))
    Poll.objects.filter(pk=withdrawn.pk).update(live=False)
    hidden = [withdrawn, seal_after_close(PollFactory(proposal=private))]
    call_command("export_archive", str(tmp_path), stdout=StringIO())
    exported = {int(path.stem) for path in (tmp_path / "polls").glob("*.json")}
    assert shown.pk in exported
    assert not exported & {poll.pk for poll in hidden}
    assert json.loads((tmp_path / "polls" / f"{shown.pk}.json").read_text())["poll"] == shown.pk


def test_the_proposal_page_lists_only_approved_polls(proposal):
    PollFactory(proposal=proposal, title="已审核的表决")
    PollFactory(proposal=proposal, title="未审核的表决", draft=True)
    html = Client().get(proposal.url).content.decode()
    assert "已审核的表决" in html and "未审核的表决" not in html


def test_auditors_see_drafts_marked_as_such(client_for, proposal):
    PollFactory(proposal=proposal, title="未审核的表决", draft=True)
    auditor = client_for(AuditorFactory())
    html = auditor.get("/admin/audit/").content.decode()
    assert "未审核的表决" in html and "草稿（未审核）" in html
    draft = Poll.objects.get(title="未审核的表决")
    assert auditor.get(f"/admin/audit/polls/{draft.pk}/").status_code == 200
    assert auditor.get(f"/api/deliberation/polls/{draft.pk}/ledger/").status_code == 200


def test_a_draft_can_be_neither_sealed_nor_closed_early():
    from deliberation.services import request_early_close

    moderator, draft = ModeratorFactory(), PollFactory(draft=True)
    Poll.objects.filter(pk=draft.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    draft.refresh_from_db()
    with pytest.raises(Refused) as refused:
        seal_poll(draft, by=moderator)
    assert refused.value.status == 409
    with pytest.raises(Refused):
        request_early_close(PollFactory(draft=True), moderator, "测试")
    draft.refresh_from_db()
    assert draft.sealed_at is None and not draft.ledger.exists()


def test_the_poll_list_says_in_words_whether_a_poll_is_approved_and_how_voting_stands(client_for):
    PollFactory(title="已批准的表决")
    PollFactory(title="草稿表决", draft=True)
    html = client_for(ModeratorFactory()).get("/admin/snippets/deliberation/poll/").content.decode()
    assert "已批准的表决" in html and "草稿表决" in html
    assert "正在表决" in html and "草稿" in html
    assert ">open<" not in html and ">upcoming<" not in html


def test_the_moderator_who_asked_for_an_early_close_is_not_offered_to_confirm_it(client_for):
    from deliberation.services import request_early_close

    poll = PollFactory(title="提前截止的表决")
    asker, other = ModeratorFactory(), ModeratorFactory()
    request_early_close(poll, asker, "全部住户已投票")
    listing = "/admin/snippets/deliberation/poll/"
    assert "确认提前截止" not in client_for(asker).get(listing).content.decode()
    assert "确认提前截止" in client_for(other).get(listing).content.decode()
