"""Every public page in a real Chromium: no serious or critical accessibility violation found by
axe-core (from the npm registry, injected into the page), and nothing refused by the
Content-Security-Policy — so the pages need no inline script to work."""

from pathlib import Path

from django.conf import settings

import pytest

from deliberation.models import Poll
from news.models import ActivityPage, NewsPage

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"


def public_pages() -> dict[str, str]:
    sealed = Poll.objects.filter(sealed_at__isnull=False, proposal__live=True).first()
    return {
        "home": "/",
        "news list": "/news/",
        "news item": NewsPage.objects.live().order_by("-date").first().url,
        "activity": ActivityPage.objects.live().first().url,
        "proposal": "/yishiting/bike-shed-charging/",
        "result": sealed.proposal.url,
        "search": "/search/?q=电梯",
        "archive": "/archive/",
        "sign-in": "/accounts/login/",
        "sign-up": "/accounts/signup/",
        "receipt": "/receipts/",
    }


def serious_violations(page) -> list[str]:
    if not AXE.exists():
        pytest.fail(f"axe-core is not installed at {AXE}: run `make test-e2e` (npm ci).")
    page.add_script_tag(path=str(AXE))
    results = page.evaluate(
        "() => axe.run(document, {resultTypes: ['violations']})"
        ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact,"
        " nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3)})))"
    )
    return [
        f"{v['id']} ({v['impact']}): {', '.join(v['nodes'])}"
        for v in results
        if v["impact"] in ("serious", "critical")
    ]


def test_public_pages_have_no_serious_accessibility_violations(inspected_page):
    found = {}
    for name, url in public_pages().items():
        inspected_page.goto(url)
        problems = serious_violations(inspected_page)
        if problems:
            found[name] = problems
    assert found == {}


def sign_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(settings.DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("button", name="退出").first.wait_for()


@pytest.mark.parametrize("username", ["resident1", "moderator"])
def test_public_pages_signed_in_have_no_serious_accessibility_violations(inspected_page, username):
    """Signed in, the header shows the account's name and a sign-out button (on the header's
    red), and staff see Wagtail's user bar: axe-core checks these too, colour contrast
    included."""
    sign_in(inspected_page, username)
    found = {}
    for name, url in public_pages().items():
        if name in ("sign-in", "sign-up"):
            continue  # a signed-in visitor is sent on from these
        inspected_page.goto(url)
        assert inspected_page.get_by_role("button", name="退出").count() == 1, name
        problems = serious_violations(inspected_page)
        if problems:
            found[name] = problems
    assert found == {}


def test_public_pages_work_under_the_content_security_policy(page):
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    for _name, url in public_pages().items():
        response = page.goto(url)
        assert "script-src 'self'" in response.headers["content-security-policy"]
    assert refused == []


def test_an_injected_inline_script_is_refused_by_the_browser(page):
    page.goto("/")
    ran = page.evaluate(
        """() => new Promise(resolve => {
            window.__injected = false;
            const script = document.createElement('script');
            script.textContent = 'window.__injected = true';
            document.body.appendChild(script);
            setTimeout(() => resolve(window.__injected), 100);
        })"""
    )
    assert ran is False
