"""Nothing of a page a visitor may not see leaks through any address (issue 15).

Four proposals are out of sight — one behind a password, one for signed-in visitors only, one
for a group none of the visitors is in, and one unpublished — each with a poll (a ballot cast,
so it has a receipt), comments and a reply. Every text of theirs carries a marker. The test
walks every URL pattern of the site (``get_resolver()``, recursively: the API router and
Wagtail's page serving included, the latter by visiting every page's address), fills each
path parameter with every id (or receipt code) of the fixture, and sends GET and the POSTs the
site's forms send, as an anonymous visitor, a newcomer (signed in, not verified) and a verified
resident. None of them is entitled to any of the four but the signed-in ones to the proposal
for signed-in visitors, so no other answer may hold a marker.

A new route is walked without a change here; only a parameter of a kind never seen before
(neither an int nor a str, nor Wagtail's page path) stops the test, asking for values.
"""

import re
from datetime import date

from django.contrib.auth.models import Group
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from wagtail.models import Page, PageViewRestriction

import pytest

from core.throttle import LIMITS
from deliberation.tasks import followup_token
from tests.factories import (
    BallotFactory,
    CommentFactory,
    NewcomerFactory,
    PollFactory,
    ProposalPageFactory,
    ResidentFactory,
)

pytestmark = pytest.mark.django_db

# Routes not walked, each with its reason.
SKIPPED = {
    "admin/": "the Wagtail admin: staff only, every view asks for an editor's sign-in",
    "media/": "uploaded files served from disk (SERVE_MEDIA); they hold no page text — "
    "documents are covered by the document test",
}
KINDS = ("PASSWORD", "LOGIN", "GROUPS", "UNPUBLISHED")
# A word every hidden text shares (searched for: the search page echoes the query, and the
# query must not itself be a marker).
WORD = "zebra"


def marker(kind: str, what: str) -> str:
    return f"LEAK{kind}{what}X"


class Hidden:
    def __init__(self):
        self.proposals, self.polls, self.comments, self.restrictions, self.receipts = (
            [],
            [],
            [],
            [],
            [],
        )
        self.markers: dict[str, list[str]] = {}
        self.tokens: list[str] = []  # the visitor's own "stop these emails" links


@pytest.fixture
def hidden(settings) -> Hidden:
    # Rate limits would answer 429 before the views under test speak.
    settings.THROTTLE_LIMITS = dict.fromkeys(LIMITS, (10**6, 1))
    found = Hidden()
    nobody_is_in = Group.objects.create(name="楼委会（测试）")
    for kind in KINDS:
        texts = {what: marker(kind, what) for what in ("TITLE", "SUMMARY", "BACKGROUND")}
        proposal = ProposalPageFactory(
            title=f"{texts['TITLE']} {WORD}",
            summary=f"{texts['SUMMARY']} {WORD}",
            background=f"<p>{texts['BACKGROUND']} {WORD}</p>",
        )
        poll = PollFactory(
            proposal=proposal,
            title=f"{marker(kind, 'QUESTION')} {WORD}",
            description=marker(kind, "POLLTEXT"),
        )
        found.receipts.append(BallotFactory(poll=poll).receipt)
        first = CommentFactory(proposal=proposal, text=f"{marker(kind, 'COMMENT')} {WORD}")
        second = CommentFactory(proposal=proposal, text=marker(kind, "SECOND"))
        reply = CommentFactory(reply_to=first, text=marker(kind, "REPLY"))
        found.markers[kind] = [*texts.values(), poll.title.split()[0], poll.description]
        found.markers[kind] += [marker(kind, w) for w in ("COMMENT", "SECOND", "REPLY")]
        if kind == "UNPUBLISHED":
            proposal.unpublish(log_action=False)
        else:
            restriction = PageViewRestriction.objects.create(
                page=proposal,
                restriction_type=kind.lower(),
                password="secret-password" if kind == "PASSWORD" else "",
            )
            if kind == "GROUPS":
                restriction.groups.add(nobody_is_in)
            found.restrictions.append(restriction)
        found.proposals.append(proposal)
        found.polls.append(poll)
        found.comments += [first, second, reply]
    # A public proposal, so that forms of a page one may see are sent too (with hidden ids).
    public = ProposalPageFactory(title="公开的议题")
    found.public_poll = PollFactory(proposal=public)
    found.public_comment = CommentFactory(proposal=public, text="公开的意见")
    found.public = public
    return found


def _routes(patterns, prefix=""):
    """(route template with {name} holes, pattern, callback) for every URL pattern."""
    for entry in patterns:
        here = prefix + _template(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, here)
        elif isinstance(entry, URLPattern):
            yield here, entry


def _template(pattern) -> str:
    text = str(pattern)
    if hasattr(pattern, "_route"):  # path()
        return re.sub(r"<(?:(\w+):)?(\w+)>", r"{\1:\2}", text)
    text = text.removeprefix("^").removesuffix("$").removesuffix(r"\Z")
    text = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{str:\1}", text)
    count = iter(range(100))
    text = re.sub(r"\(\\d\+\)", lambda m: f"{{int:arg{next(count)}}}", text)
    text = re.sub(r"\((?!\?)[^()]*\)", lambda m: f"{{str:arg{next(count)}}}", text)
    return text.replace("\\", "")


def _values(hidden: Hidden, kind: str, name: str) -> list[str]:
    ids = {
        "poll": [p.pk for p in [*hidden.polls, hidden.public_poll]],
        "proposal": [p.pk for p in [*hidden.proposals, hidden.public]],
        "page": [p.pk for p in [*hidden.proposals, hidden.public]],
        "comment": [c.pk for c in [*hidden.comments, hidden.public_comment]],
        "page_view_restriction": [r.pk for r in hidden.restrictions],
    }
    every = sorted({pk for values in ids.values() for pk in values})
    chosen = ids.get(name.removesuffix("_id"), every)
    if kind in ("int", "id"):  # "id": core.numbers.IdConverter, our bounded ids
        return [str(pk) for pk in chosen]
    if kind in ("str", "slug", "path"):
        return [*hidden.receipts, *hidden.tokens, *(str(pk) for pk in chosen)]
    raise AssertionError(f"The leak test has no values for <{kind}:{name}>: add some in _values.")


def _urls(hidden: Hidden):
    """Every address to try: each route with each combination of values (one parameter at a
    time takes each value; others take their first), and every page Wagtail serves."""
    pages = [p.specific for p in Page.objects.filter(depth__gt=1)]
    for route, pattern in _routes(get_resolver().url_patterns):
        if any(route.startswith(skipped) for skipped in SKIPPED):
            continue
        if pattern.name == "wagtail_serve":  # every page, the hidden ones included
            yield from (page.url for page in pages if page.url)
            continue
        holes = re.findall(r"\{(\w+):(\w+)\}", route)
        if "(" in route:
            raise AssertionError(f"The leak test cannot fill the route {route!r}.")
        if not holes:
            yield "/" + route
            continue
        options = {name: _values(hidden, kind, name) for kind, name in holes}
        for varying in options:
            for value in options[varying]:
                url = route
                for kind, name in holes:
                    url = url.replace(
                        f"{{{kind}:{name}}}", value if name == varying else options[name][0]
                    )
                yield "/" + url


def _posts(hidden: Hidden) -> list[dict]:
    choices = [c.pk for p in [*hidden.polls, hidden.public_poll] for c in p.choices.all()]
    typical = {
        "choices": choices,
        "confirm": "1",
        "comment": f"回复一下 {WORD}",
        "stance": "support",
        "score": "3",
        "reason": "理由",
        "followup": "on",
    }
    return [{}] + [{**typical, "reply_to": str(c.pk)} for c in hidden.comments[::3]]


@pytest.mark.parametrize("visitor", ["anonymous", "newcomer", "resident"])
def test_no_address_shows_anything_of_a_page_the_visitor_may_not_see(hidden, visitor):
    client = Client(raise_request_exception=False)
    user = {"anonymous": None, "newcomer": NewcomerFactory, "resident": ResidentFactory}[visitor]
    user = user() if user else None
    if user is not None:
        hidden.tokens = [followup_token(user.pk, p.pk) for p in hidden.proposals]
    urls = sorted(set(_urls(hidden)))
    assert any(p.url in urls for p in hidden.proposals), "pages served by Wagtail are walked"
    assert any(u.startswith("/api/deliberation/polls/") for u in urls), "the API is walked"
    # Anyone signed in passes a sign-in restriction; nobody here passes the others.
    entitled = {"LOGIN"} if user is not None else set()
    markers = [m for kind, found in hidden.markers.items() if kind not in entitled for m in found]
    query = {"q": WORD, "year": str(date.today().year), "code": hidden.receipts[0]}
    leaks = []
    for url in urls:
        if user is not None:  # again for each address: one of them is the sign-out
            client.force_login(user)
        answers = [("GET", client.get(url)), ("GET?", client.get(url, query))]
        answers += [("POST", client.post(url, data)) for data in _posts(hidden)]
        for method, response in answers:
            assert response.status_code < 500, f"{method} {url}: {response.status_code}"
            body = b"".join(response) if response.streaming else response.content
            text = body.decode("utf-8", "replace")
            leaks += [f"{method} {url}: {m}" for m in markers if m in text]
    assert not leaks, "\n".join(leaks[:30])


def test_the_walk_finds_the_hidden_texts_where_they_are_allowed(hidden):
    """The markers are real: an editor sees them on the pages (the walk could not miss them)."""
    from tests.factories import SuperuserFactory

    client = Client()
    client.force_login(SuperuserFactory())
    hidden.proposals[-1].save_revision(log_action=False).publish(log_action=False)
    PageViewRestriction.objects.all().delete()
    for proposal in hidden.proposals:
        text = client.get(proposal.url).content.decode()
        assert proposal.title in text and proposal.polls.first().title in text


def test_a_refused_report_or_rating_is_a_short_page_of_its_own(client_for):
    """Refused, a report or a rating answers with the reason, not the proposal page again."""
    proposal = ProposalPageFactory(summary="这段摘要只在议题页上")
    comment = CommentFactory(proposal=proposal, text="这条意见只在议题页上")
    client = client_for(NewcomerFactory())
    for url, data in [
        (f"/comments/{comment.pk}/flag/", {}),
        (f"/proposals/{proposal.pk}/rate/", {"score": "3"}),
    ]:
        response = client.post(url, data)
        text = response.content.decode()
        assert 400 <= response.status_code < 500 and "未能受理" in text
        assert "这段摘要只在议题页上" not in text and "这条意见只在议题页上" not in text


def test_the_open_data_export_holds_nothing_of_them(hidden, tmp_path):
    from django.core.management import call_command

    from tests.factories import seal_after_close

    for poll in hidden.polls:
        seal_after_close(poll)
    call_command("export_archive", str(tmp_path / "out"), verbosity=0)
    written = [f for f in (tmp_path / "out").rglob("*") if f.is_file()]
    assert written
    every = [m for found in hidden.markers.values() for m in found]
    for file in written:
        text = file.read_text(errors="replace")
        assert not [m for m in every if m in text], file.name
