"""Each role can do what its work needs in the admin, and no more."""

from django.test import Client

from wagtail.models import Page

import pytest

from news.models import NewsPage
from tests.factories import (
    AuditorFactory,
    EditorFactory,
    ModeratorFactory,
    NewcomerFactory,
    NewsPageFactory,
    ResidentFactory,
)

pytestmark = pytest.mark.django_db

ACCOUNTS = {
    "editor": EditorFactory,
    "moderator": ModeratorFactory,
    "auditor": AuditorFactory,
    "resident1": ResidentFactory,
    "newcomer": NewcomerFactory,
}


@pytest.fixture
def notice():
    return NewsPageFactory()


@pytest.mark.parametrize(
    ("username", "can_edit", "can_publish"),
    [
        ("editor", True, False),
        ("moderator", True, True),
        ("auditor", False, False),
        ("resident1", False, False),
        ("newcomer", False, False),
    ],
)
def test_page_permissions_fit_each_role(notice, username, can_edit, can_publish):
    permissions = notice.permissions_for_user(ACCOUNTS[username]())
    assert permissions.can_edit() is can_edit
    assert permissions.can_publish() is can_publish


@pytest.mark.parametrize(
    ("username", "expected"),
    [("editor", 200), ("moderator", 200), ("auditor", 200), ("resident1", 302), ("newcomer", 302)],
)
def test_only_staff_roles_enter_the_admin(client_for, username, expected):
    response = client_for(ACCOUNTS[username]()).get("/admin/")
    assert response.status_code == expected
    if expected == 302:
        assert "/admin/login/" in response["Location"]


def test_anonymous_visitors_are_sent_to_the_admin_login():
    response = Client().get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_editor_can_open_the_page_editor_but_not_unpublish(client_for, notice):
    editor = client_for(EditorFactory())
    assert editor.get(f"/admin/pages/{notice.pk}/edit/").status_code == 200
    assert editor.get(f"/admin/pages/{notice.pk}/unpublish/").status_code in {302, 403}
    assert NewsPage.objects.get(pk=notice.pk).live


def test_auditor_cannot_open_the_page_editor(client_for, notice):
    response = client_for(AuditorFactory()).get(f"/admin/pages/{notice.pk}/edit/")
    assert response.status_code in {302, 403}


def test_moderator_can_verify_residents_and_editor_cannot():
    moderator, editor, auditor = ModeratorFactory(), EditorFactory(), AuditorFactory()
    assert moderator.has_perm("community.verify_residency")
    assert not editor.has_perm("community.verify_residency")
    assert not auditor.has_perm("community.change_residency")
    assert auditor.has_perm("community.view_residency")


def test_only_moderators_change_the_community_profile():
    moderator, editor = ModeratorFactory(), EditorFactory()
    assert moderator.has_perm("home.change_communitysettings")
    assert not editor.has_perm("home.change_communitysettings")


def test_residents_have_no_permissions_at_all():
    resident = ResidentFactory()
    assert resident.get_all_permissions() == set()


def test_editors_may_upload_images_and_documents(client_for):
    editor = client_for(EditorFactory())
    assert editor.get("/admin/images/multiple/add/").status_code == 200
    assert editor.get("/admin/documents/multiple/add/").status_code == 200
    assert client_for(AuditorFactory()).get("/admin/images/multiple/add/").status_code in {302, 403}


def test_wagtail_default_groups_are_replaced_by_ours():
    from django.contrib.auth.models import Group

    assert set(Group.objects.values_list("name", flat=True)) == {
        "编辑",
        "审核",
        "审计",
        "网格员",
        "居民",
    }
    assert Page.objects.get(depth=1).get_workflow().name == "社区审核"


def test_editor_manages_news_categories_in_the_admin(client_for):
    editor = client_for(EditorFactory())
    response = editor.get("/admin/snippets/news/newscategory/")
    assert response.status_code == 200
    assert "通知公告" in response.content.decode()
    response = editor.post(
        "/admin/snippets/news/newscategory/add/",
        {"name": "物业服务", "slug": "property", "sort_order": 9},
    )
    assert response.status_code == 302
    assert (
        client_for(ResidentFactory()).get("/admin/snippets/news/newscategory/").status_code == 302
    )


def test_each_group_has_exactly_the_permissions_of_its_role():
    from django.contrib.auth.models import Group

    from home.roles import ROLES

    for name, role in ROLES.items():
        granted = {
            f"{p.content_type.app_label}.{p.codename}"
            for p in Group.objects.get(name=name).permissions.select_related("content_type")
        }
        expected = set(role.model_permissions) | (
            {"wagtailadmin.access_admin"} if role.admin_access else set()
        )
        assert granted == expected, name
