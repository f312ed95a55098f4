"""Sign-up, sign-in, sign-out and password change under /accounts/."""

from django.test import Client

import pytest

from home.models import User
from tests.factories import PASSWORD, EditorFactory, ResidentFactory

pytestmark = pytest.mark.django_db


def test_resident_signs_up_and_is_signed_in_unverified(db):
    client = Client()
    response = client.post(
        "/accounts/signup/",
        {
            "username": "wang_ayi",
            "display_name": "5号楼 王阿姨",
            "phone": "138 0000 0000",
            "password1": "a-long-pass-phrase-2026",
            "password2": "a-long-pass-phrase-2026",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="wang_ayi")
    assert client.get("/").wsgi_request.user == user
    assert not user.is_verified_resident
    assert user.groups.filter(name="居民").exists()
    assert not user.is_staff


def test_signup_errors_are_shown_in_chinese_and_nothing_is_saved():
    ResidentFactory(username="resident1")
    response = Client().post(
        "/accounts/signup/",
        {"username": "resident1", "password1": "123", "password2": "456", "phone": "call me"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "此用户名已被占用" in html
    assert "电话号码" in html
    assert User.objects.filter(username="resident1").count() == 1


def test_wrong_password_gives_a_chinese_message():
    ResidentFactory(username="resident1")
    response = Client().post("/accounts/login/", {"username": "resident1", "password": "wrong"})
    assert response.status_code == 400  # bad input is a 4xx, with the form again
    assert "用户名和密码不匹配" in response.content.decode()


def test_login_redirects_to_next_but_never_off_site():
    ResidentFactory(username="resident2")
    credentials = {"username": "resident2", "password": PASSWORD}
    response = Client().post("/accounts/login/", {**credentials, "next": "/yishiting/"})
    assert response["Location"] == "/yishiting/"
    response = Client().post("/accounts/login/", {**credentials, "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_logout_is_a_post_and_signs_out(client_for):
    client = client_for(ResidentFactory(username="resident3"))
    assert client.post("/accounts/logout/").status_code == 302
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_password_change_needs_sign_in_and_works(client_for):
    assert Client().get("/accounts/password_change/").status_code == 302
    client = client_for(ResidentFactory(username="resident4"))
    response = client.post(
        "/accounts/password_change/",
        {
            "old_password": PASSWORD,
            "new_password1": "another-long-phrase-77",
            "new_password2": "another-long-phrase-77",
        },
    )
    assert response.status_code == 302
    assert Client().login(username="resident4", password="another-long-phrase-77")


def test_signed_in_users_are_not_shown_the_signup_form(client_for):
    assert client_for(ResidentFactory()).get("/accounts/signup/").status_code == 302


def test_signed_in_resident_sees_the_display_name_never_the_real_name_or_phone():
    user = ResidentFactory()
    user.real_name, user.phone = "张秀英", "13800000000"
    user.save()
    client = Client()
    client.force_login(user)
    html = client.get("/").content.decode()
    assert user.display_name in html
    assert "张秀英" not in html and "13800000000" not in html


def test_password_reset_sends_a_chinese_email_with_a_working_link(mailoutbox):
    EditorFactory(username="editor", email="editor@example.org")
    response = Client().post("/accounts/password_reset/", {"email": "editor@example.org"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.subject == "重置密码"
    link = next(line for line in message.body.splitlines() if "/accounts/reset/" in line)
    confirm = Client().get(link.replace("http://testserver", ""), follow=True)
    assert "设置新密码" in confirm.content.decode()
    assert 'name="new_password1"' in confirm.content.decode()


def test_password_reset_for_an_unknown_address_reveals_nothing(db, mailoutbox):
    response = Client().post("/accounts/password_reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mailoutbox == []
