"""Journeys that cross roles, in a real Chromium: a newcomer signs up and claims a household and a
moderator verifies it in the admin; anonymous visitors see a change at once despite the page
cache."""

import pytest

from community.models import Household, Residency, ResidencyStatus

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
    page.get_by_label("楼栋").select_option(household.building.name)
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
    admin.goto("/admin/snippets/community/residency/?status=pending")
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


def admin_page(browser, live_server, username: str):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/admin/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(live_server_password())
    page.locator("form button[type=submit]").click()
    page.wait_for_url("**/admin/")
    return context, page


def test_an_editor_submits_a_notice_a_moderator_approves_it_and_it_is_on_the_home_page(
    page, browser, live_server
):
    from news.models import NewsIndexPage, NewsPage

    page.goto("/")  # an anonymous visitor, whose home page is now cached
    assert page.get_by_text("南门临时封闭通知").count() == 0
    index = NewsIndexPage.objects.first()
    editor_context, editor = admin_page(browser, live_server, "editor")
    editor.goto(f"/admin/pages/add/news/newspage/{index.pk}/")
    editor.locator("#id_title").fill("南门临时封闭通知")
    editor.locator("#id_summary").fill("南门本周六封闭施工，请走北门。")
    # The address is on the "Promote" tab; Wagtail fills it from the title as one types.
    editor.locator("#id_slug").evaluate("input => { input.value = 'south-gate-closure'; }")
    # The "submit for moderation" button sits in the footer's menu of actions.
    editor.locator('button[name="action-submit"]').evaluate("button => button.click()")
    editor.wait_for_url(lambda url: "/add/" not in url)
    notice = NewsPage.objects.get(title="南门临时封闭通知")
    assert notice.workflow_in_progress and not notice.live
    editor_context.close()

    moderator_context, moderator = admin_page(browser, live_server, "moderator")
    moderator.goto(f"/admin/pages/{notice.pk}/edit/")
    moderator.locator(
        'button[data-workflow-action-name="approve"]:not([data-workflow-action-modal-url])'
    ).evaluate("button => button.click()")
    moderator.wait_for_url(lambda url: "/edit/" not in url)
    moderator_context.close()

    assert NewsPage.objects.get(pk=notice.pk).live
    page.goto("/")
    page.get_by_text("南门临时封闭通知").first.wait_for()
