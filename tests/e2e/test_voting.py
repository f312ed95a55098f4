"""Voting as a resident does it on a phone: choose, confirm, keep the receipt, find it again; and
reading a Civil Code result on the smallest phone."""

import pytest

from tests.e2e.conftest import PHONE
from tests.e2e.test_foundation import sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SMALL_PHONE = {**PHONE, "viewport": {"width": 360, "height": 740}}


def test_a_resident_confirms_the_vote_reloads_and_finds_the_receipt(page, settings):
    page.goto("/accounts/login/?next=/yishiting/garden-renewal/")
    sign_in(page, "resident28", settings.DEMO_PASSWORD)
    page.wait_for_url("**/yishiting/garden-renewal/")
    page.get_by_role("radio", name="同意", exact=True).check()
    page.get_by_role("button", name="投票").click()
    # The confirmation says what was chosen and that it cannot be changed; nothing is cast yet.
    page.get_by_text("您选择：同意。投票后不能更改。确认投票？").wait_for()
    page.get_by_role("button", name="确认投票").click()
    page.wait_for_url("**/yishiting/garden-renewal/**")
    receipt = page.locator(".receipt").first.inner_text().strip()
    assert receipt.count("-") == 2 and len(receipt) == 14
    # A secret ballot: the receipt stays in the poll box after a reload, without the choice.
    page.reload()
    assert page.locator(".receipt").first.inner_text().strip() == receipt
    page.goto("/accounts/ballots/")
    mine = page.get_by_role("main")
    assert receipt in mine.inner_text()
    assert "是否同意小花园微改造方案？" in mine.inner_text()


def test_a_civil_code_result_shows_its_four_tests_on_a_360_px_phone(browser, live_server, tmp_path):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", **SMALL_PHONE)
    page = context.new_page()
    try:
        page.goto("/yishiting/elevator-maintenance-fund/")
        tests = page.locator(".poll__tests li")
        assert tests.count() == 4
        lines = [tests.nth(n).inner_text() for n in range(4)]
        assert all("✓" in line for line in lines), lines
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0
        page.screenshot(path=tmp_path / "civil-code-result-360.png", full_page=True)
    finally:
        context.close()
