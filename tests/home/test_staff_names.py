"""A new account's name may not pass for a staff member's: not a staff member's display name or
user name, and no staff title (书记, 主任, 社区, 居委会, 管理员, 网格员). Staff accounts, and
names a moderator sets in the admin, are not limited."""

from django.test import Client

import pytest

from home.models import User
from tests.factories import GridWorkerFactory, ModeratorFactory, ResidentFactory

pytestmark = pytest.mark.django_db


def sign_up(username: str, display_name: str):
    return Client().post(
        "/accounts/signup/",
        {
            "username": username,
            "display_name": display_name,
            "password1": "a-long-pass-phrase-2026",
            "password2": "a-long-pass-phrase-2026",
        },
    )


@pytest.mark.parametrize(
    "display_name, title",
    [
        ("书记 张书记", "书记"),
        ("居委会李主任", "居委会"),
        ("王主任", "主任"),
        ("社区通知", "社区"),
        ("管理员", "管理员"),
        ("网格员小刘", "网格员"),
        ("书 记", "书记"),  # spaced out
        ("书\u200b记", "书记"),  # with an invisible character
    ],
)
def test_a_staff_title_is_refused_with_a_clear_message(display_name, title):
    response = sign_up("newcomer", display_name)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"名字不能含有“{title}”" in html
    assert not User.objects.filter(username="newcomer").exists()


@pytest.mark.parametrize("taken", ["张书记的名字", "moderator_zhang"])
def test_a_staff_members_name_or_user_name_is_refused(taken):
    ModeratorFactory(username="moderator_zhang", display_name="张书记的名字")
    GridWorkerFactory(display_name="小刘")
    for display_name in (taken, taken.upper(), f" {taken} "):
        response = sign_up("newcomer", display_name)
        # a staff title in it is refused for that; a staff member's name for being theirs
        assert "请换一个名字" in response.content.decode()
        assert not User.objects.filter(username="newcomer").exists()
    response = sign_up("newcomer", "小刘")
    assert "这是社区工作人员的名字" in response.content.decode()


def test_the_user_name_is_checked_too_as_it_shows_when_there_is_no_display_name():
    ModeratorFactory(display_name="老周")
    for username in ("书记", "老周"):
        response = sign_up(username, "")
        assert "请换一个名字" in response.content.decode()
        assert not User.objects.filter(username=username).exists()


def test_a_residents_name_may_match_another_residents_and_ordinary_names_pass():
    ResidentFactory(display_name="5号楼 王阿姨")
    assert sign_up("wang2", "5号楼 王阿姨").status_code == 302
    assert sign_up("li", "李大爷").status_code == 302


def test_names_staff_carry_or_moderators_set_are_not_limited(client_for):
    """Staff accounts keep their titles, and a moderator may give one in the admin."""
    staff = ModeratorFactory(display_name="居委会 张主任")
    staff.full_clean(exclude=["password"])
    resident = ResidentFactory(display_name="王阿姨")
    resident.display_name = "网格员 王阿姨"
    resident.full_clean(exclude=["password"])
    resident.save()
    assert User.objects.get(pk=resident.pk).display_name == "网格员 王阿姨"
