"""Browser tests: a real Chromium (Debian's package) driven by Playwright against a live server.

Playwright never downloads a browser here; it starts the one at $CHROMIUM (default
/usr/bin/chromium). Run them with `make test-e2e`.
"""

import os
import shutil

from django.core.management import call_command
from django.db import connections

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The journeys walk the demo community, as a visitor of `make run` would: loaded once for
    the browser tests, and kept as the snapshot their live server's tests are restored to."""
    with django_db_blocker.unblock():
        call_command("load_demo", "--quiet")
        for connection in connections.all():
            connection._test_serialized_contents = connection.creation.serialize_db_to_string()


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
    # are still plain synchronous calls, made between browser steps.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

    if not shutil.which(CHROMIUM):
        pytest.fail(
            f"No Chromium at {CHROMIUM}: install Debian's chromium package, or set CHROMIUM."
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _page(browser, live_server, screen: str, **options):
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        **(PHONE if screen == "phone" else DESKTOP),
        **options,
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


@pytest.fixture(params=["phone", "desktop"])
def page(request, browser, live_server):
    context, page = _page(browser, live_server, request.param)
    yield page
    context.close()


@pytest.fixture(params=["phone", "desktop"])
def inspected_page(request, browser, live_server):
    """A page into which a test may inject a checking script (axe-core): the browser lets it
    past the site's Content-Security-Policy, which would rightly refuse it."""
    context, page = _page(browser, live_server, request.param, bypass_csp=True)
    yield page
    context.close()
