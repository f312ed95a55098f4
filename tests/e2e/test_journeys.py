"""Journeys that cross roles, in a real Chromium: a newcomer signs up and claims a household and a
moderator verifies it in the admin; anonymous visitors see a change at once despite the page
cache."""

import pytest

from deliberation.models import Household, Residency, ResidencyStatus

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def sign_in(page, username: str, password: str) -> None:
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def test_a_newcomer_claims_a_household_and_a_moderator_verifies_it(page, browser, live_server):
    household = Household.objects.order_by("building", "unit", "room").first()
    page.goto("/accounts/signup/")
    page.get_by_label("用户名").fill("xinjumin")
    page.get_by_label("昵称").fill("新来的邻居")
    page.get_by_label("密码:", exact=True).fill("a-long-enough-secret-9")
    page.get_by_label("确认密码").fill("a-long-enough-secret-9")
    page.get_by_role("button", name="注册").click()
    page.wait_for_url("**/accounts/household/")
    page.get_by_label("楼栋").select_option(household.building)
    page.get_by_label("单元").fill(household.unit)
    page.get_by_label("房号").fill(household.room)
    page.get_by_role("button", name="提交申请").click()
    page.get_by_text("待审核").first.wait_for()

    moderator = browser.new_context(base_url=live_server.url, locale="zh-CN")
    admin = moderator.new_page()
    admin.set_default_timeout(10_000)
    admin.goto("/admin/login/")
    admin.locator("input[name=username]").fill("moderator")
    admin.locator("input[name=password]").fill(live_server_password())
    admin.locator("form button[type=submit]").click()
    admin.wait_for_url("**/admin/")
    admin.goto("/admin/snippets/deliberation/residency/?status=pending")
    row = admin.get_by_role("row").filter(has_text="xinjumin")
    row.get_by_role("button", name="更多选项").click()
    row.get_by_role("link", name="认证通过").click()
    admin.get_by_text("已通过认证").first.wait_for()
    moderator.close()

    claim = Residency.objects.get(user__username="xinjumin")
    assert claim.status == ResidencyStatus.VERIFIED
    page.reload()
    assert page.get_by_text("已认证").first.is_visible()


def live_server_password() -> str:
    from django.conf import settings

    return settings.DEMO_PASSWORD
