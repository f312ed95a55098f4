"""The 社区审核 workflow: an editor submits, a moderator approves, and only then is it public."""

from django.test import Client

from wagtail.models import Page, TaskState, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

import pytest

from home.models import User
from news.models import NewsPage
from tests.factories import EditorFactory, ModeratorFactory, site_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db) -> dict[str, User]:
    """The two accounts the workflow needs: the editor who writes, the moderator who approves."""
    return {"editor": EditorFactory(), "moderator": ModeratorFactory()}


@pytest.fixture
def draft_by_editor(staff):
    index = site_tree().news
    page = NewsPage(title="楼顶防水维修征求意见", slug="roof-repair", summary="下周起维修。")
    page.owner = staff["editor"]
    page.live = False
    index.add_child(instance=page)
    page.save_revision(user=staff["editor"])
    return page


def test_every_page_is_under_the_community_workflow(draft_by_editor):
    assert draft_by_editor.get_workflow().name == "社区审核"
    assert Page.objects.get(depth=1).get_workflow().name == "社区审核"


def test_editor_submits_and_moderator_approves_then_it_is_published(staff, draft_by_editor):
    workflow = draft_by_editor.get_workflow()
    state = workflow.start(draft_by_editor, staff["editor"])
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert Client().get("/news/roof-repair/").status_code == 404

    task_state = state.current_task_state
    task = task_state.task.specific
    assert list(task.groups.values_list("name", flat=True)) == ["审核"]
    assert task.get_actions(draft_by_editor, staff["moderator"])
    assert task.get_actions(draft_by_editor, staff["editor"]) == []

    task.on_action(task_state, staff["moderator"], "approve")
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    assert NewsPage.objects.get(pk=draft_by_editor.pk).live
    assert Client().get("/news/roof-repair/").status_code == 200


def test_moderator_rejection_keeps_the_page_unpublished(staff, draft_by_editor):
    state = draft_by_editor.get_workflow().start(draft_by_editor, staff["editor"])
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, staff["moderator"], "reject")
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert TaskState.objects.get(pk=task_state.pk).status == TaskState.STATUS_REJECTED
    assert not NewsPage.objects.get(pk=draft_by_editor.pk).live


def test_editor_submitting_through_the_admin_starts_the_workflow(
    client_for, staff, draft_by_editor
):
    editor = client_for(staff["editor"])
    edit_url = f"/admin/pages/{draft_by_editor.pk}/edit/"
    form_page = editor.get(edit_url).content.decode()
    assert 'name="action-submit"' in form_page
    assert 'name="action-publish"' not in form_page

    data = nested_form_data(
        {
            "title": "楼顶防水维修征求意见（修订）",
            "slug": "roof-repair",
            "date": "2026-11-20",
            "summary": "下周起维修。",
            "body": streamfield([]),
            "tags": "",
            "source": "",
            "comments": inline_formset([]),
            "attachments": inline_formset([]),
            "related_links": inline_formset([]),
            "action-submit": "1",
        }
    )
    response = editor.post(edit_url, data)
    assert response.status_code == 302
    page = NewsPage.objects.get(pk=draft_by_editor.pk)
    assert page.workflow_in_progress
    assert not page.live
    assert page.get_latest_revision().as_object().title == "楼顶防水维修征求意见（修订）"
