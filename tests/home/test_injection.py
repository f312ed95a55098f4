"""Script injection through every input residents and importers control, with a list of
payloads: a comment, a display name, a topic suggestion, a search query, an imported article,
a receipt code. Whatever comes back is inert: no script element that runs, no event-handler
attribute, no javascript: address, anywhere in the page."""

from html.parser import HTMLParser

from django.test import Client

import pytest

from deliberation.models import ProposalPage
from deliberation.services import post_comment
from news.importer import read_article, save_article
from news.models import NewsIndexPage
from tests.factories import EditorFactory, ResidentFactory

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg/onload=alert(1)>",
    "javascript:alert(1)",
    '<a href="javascript:alert(1)">点我</a>',
    "'\"><iframe src=javascript:alert(1)></iframe>",
    "</textarea><script>alert(1)</script>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "{{ 7|add:7 }}{% debug %}",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
]


class Runnable(HTMLParser):
    """Collects whatever in a page a browser would run."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            if name in ("href", "src", "action", "formaction") and (value or "").strip(
            ).lower().startswith("javascript:"):  # fmt: skip
                self.found.append(f"<{tag} {name}={value}>")
        if (
            tag == "script"
            and not dict(attrs).get("src")
            and dict(attrs).get("type") not in ("application/json", "application/ld+json")
        ):
            self.found.append("<script> inline")
        if tag in ("iframe", "object", "embed"):
            self.found.append(f"<{tag}>")


def runnable(html: str) -> list[str]:
    parser = Runnable()
    parser.feed(html)
    return parser.found


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_comment_and_a_display_name_are_rendered_inert(community, payload):
    resident = ResidentFactory()
    resident.display_name = payload[:30]
    resident.save()
    proposal = ProposalPage.objects.get(slug="bike-shed-charging")
    post_comment(proposal, resident, f"我的意见：{payload}", stance="support")
    for client in (Client(), Client()):
        html = client.get(proposal.url).content.decode()
        assert "我的意见" in html
        assert runnable(html) == []
    signed_in = Client()
    signed_in.force_login(resident)
    assert runnable(signed_in.get("/accounts/household/").content.decode()) == []


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_search_query_and_a_receipt_code_are_echoed_inert(community, payload):
    for url, params in (
        ("/search/", {"q": payload}),
        ("/search/", {"q": payload, "format": "json"}),
        ("/receipts/", {"code": payload}),
        ("/archive/", {"year": payload, "kind": payload}),
    ):
        response = Client().get(url, params)
        assert response.status_code in (200, 404)
        if response["Content-Type"].startswith("text/html"):
            assert runnable(response.content.decode()) == []


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_topic_suggestion_is_shown_back_inert(community, client_for, payload):
    client = client_for(ResidentFactory())
    response = client.post(
        "/suggestions/", {"title": payload[:100], "description": payload}, follow=True
    )
    assert response.status_code == 200
    assert runnable(response.content.decode()) == []
    editor_view = client_for(EditorFactory()).get("/admin/snippets/deliberation/topicsuggestion/")
    assert "alert(1)</script>" not in editor_view.content.decode()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_an_imported_article_is_published_inert(community, payload):
    for name, text in (
        ("a.txt", f"导入的通知\n第一段{payload}正文。\n第二段。"),
        ("a.html", f"<h1>导入的通知</h1><p>第一段{payload}正文。</p><p>第二段。</p>"),
        ("a.md", f"# 导入的通知\n\n第一段{payload}正文。\n\n[链接](javascript:alert(1))"),
    ):
        article = read_article(name, text.encode())
        page, _created = save_article(article, f"test:{name}", NewsIndexPage.objects.first())
        html = Client().get(page.url).content.decode()
        assert "导入的通知" in html
        assert runnable(html) == [], name


def test_the_check_finds_what_a_browser_would_run():
    assert runnable("<p>安全&lt;script&gt;</p>") == []
    assert runnable('<img src=x onerror="alert(1)">') == ["<img onerror=…>"]
    assert runnable('<a href=" JavaScript:alert(1)">x</a>') != []
    assert runnable("<script>alert(1)</script>") == ["<script> inline"]
    assert runnable('<script type="application/json">{}</script>') == []
