"""The result of a Civil Code poll on a 360-px phone: its four tests, each a line to check, and
no horizontal scrolling (the old wide table crushed its headers one character per line)."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_civil_code_result_shows_its_four_tests_on_a_360_px_phone(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto("/yishiting/elevator-maintenance-fund/")
        tests = page.locator(".poll__test")
        assert tests.count() == 4
        texts = [tests.nth(i).inner_text() for i in range(4)]
        assert texts[0].startswith("参与表决的业主人数")
        assert texts[1].startswith("参与表决的专有部分面积")
        assert all("✓" in text or "✗" in text for text in texts)
        assert "合并计算" in page.locator(".poll__channels").first.inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        for box in (tests.nth(i).bounding_box() for i in range(4)):
            assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    finally:
        context.close()
