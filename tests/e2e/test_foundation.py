"""A visitor and a resident use the site in a real browser, on a phone and on a desktop."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_home_page_fits_the_screen_and_is_in_chinese(page):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert page.get_by_role("heading", level=1).is_visible()
    assert page.get_by_role("heading", name="最新通知").is_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0


def test_menu_links_are_large_enough_to_tap(page):
    page.goto("/")
    menu = page.get_by_role("navigation", name="主菜单")
    for link in menu.get_by_role("link").all():
        assert link.bounding_box()["height"] >= 44


def test_first_tab_reaches_the_skip_link_and_it_moves_focus_to_the_content(page):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="跳到正文")
    assert skip.evaluate("element => element === document.activeElement")
    assert skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def sign_in(page, username: str, password: str) -> None:
    """Fill in and send the sign-in form the page shows."""
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def test_resident_signs_in_and_out(page, settings):
    page.goto("/news/")
    page.get_by_role("link", name="登录").click()
    sign_in(page, "resident1", settings.DEMO_PASSWORD)
    page.wait_for_url("**/news/")
    page.get_by_text("居民1号").wait_for()
    page.get_by_role("button", name="退出").click()
    page.wait_for_url("**/")
    assert page.get_by_role("link", name="登录").is_visible()


def test_visitor_searches_from_the_home_page_and_opens_a_result(page):
    # A whole title for now: finding words inside unsegmented Chinese text is the search work.
    page.goto("/")
    page.get_by_label("搜索本站").fill("电梯年度检验安排")
    page.get_by_label("搜索本站").press("Enter")
    page.wait_for_url("**/search/?q=*")
    page.get_by_role("main").get_by_role("link", name="电梯年度检验安排").click()
    assert page.get_by_role("heading", level=1).inner_text() == "电梯年度检验安排"


def test_unknown_address_shows_the_chinese_not_found_page(page):
    response = page.goto("/no-such-page/")
    assert response.status == 404
    assert page.get_by_role("heading", name="页面不存在").is_visible()


def test_resident_signs_up_for_an_activity_and_sees_the_place_taken(page, settings):
    page.goto("/accounts/login/?next=/activities/phone-class/")
    sign_in(page, "resident20", settings.DEMO_PASSWORD)
    page.wait_for_url("**/activities/phone-class/")
    page.get_by_text("已报 3 人，共 20 个名额").wait_for()
    page.get_by_role("button", name="我要报名").click()
    page.get_by_text("报名成功，到时见！").wait_for()
    page.get_by_text("已报 4 人，共 20 个名额").wait_for()
    page.get_by_role("button", name="取消报名").click()
    page.get_by_text("已取消报名。").wait_for()


def test_resident_votes_on_a_proposal_and_sees_the_receipt_and_turnout(page, settings):
    page.goto("/accounts/login/?next=/yishiting/bike-shed-charging/")
    sign_in(page, "resident25", settings.DEMO_PASSWORD)
    page.wait_for_url("**/yishiting/bike-shed-charging/")
    # Comment with a stance first, as residents do before deciding.
    page.locator("#comments").get_by_label("支持").check()
    page.get_by_label("您的意见").fill("车棚加装充电桩，请同时配好灭火器。")
    page.get_by_role("button", name="发表评论").click()
    page.get_by_text("车棚加装充电桩，请同时配好灭火器。").first.wait_for()
    turnout = page.get_by_text("已投票 0 / 18")
    assert turnout.is_visible()
    page.get_by_label("北门车棚").check()
    page.get_by_role("button", name="投票", exact=True).click()
    # The confirmation step: nothing is cast until the resident confirms.
    page.get_by_text("您选择：北门车棚。投票后不能更改。确认投票？").wait_for()
    page.get_by_role("button", name="确认投票").click()
    page.get_by_text("投票已记录").wait_for()
    receipt = page.locator(".poll__receipt .receipt").inner_text()
    assert receipt.count("-") == 2
    page.get_by_text("已投票 1 / 18").wait_for()
    assert page.get_by_role("button", name="投票", exact=True).count() == 0
    # After a reload the flash message is gone; the receipt stays in the poll box, and on 我的投票.
    page.reload()
    assert page.locator(".poll__receipt .receipt").inner_text() == receipt
    page.get_by_role("link", name="我的投票").first.click()
    page.wait_for_url("**/accounts/ballots/")
    page.get_by_text(receipt).wait_for()


def test_voting_works_with_the_keyboard_alone(page, settings):
    page.goto("/accounts/login/?next=/yishiting/garden-renewal/")
    sign_in(page, "resident26", settings.DEMO_PASSWORD)
    page.wait_for_url("**/yishiting/garden-renewal/")
    page.get_by_role("radio", name="同意", exact=True).focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "投票"
    page.keyboard.press("Enter")
    page.get_by_text("投票后不能更改。确认投票？").wait_for()
    for _step in range(40):  # Tab through the page to the confirmation button
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "确认投票":
            break
    page.keyboard.press("Enter")
    page.get_by_text("投票已记录").wait_for()
