"""Who may do what: every view and API endpoint, for each kind of visitor, with the status each
one gets. One table; a change of rights shows up here as a changed cell."""

from collections.abc import Iterator

from django.db import transaction
from django.test import Client
from django.utils import timezone

import pytest

from deliberation.models import Poll, ProposalPage, ProposalStage, StanceComment
from home.models import User
from news.models import ActivityPage
from tests.factories import (
    ActivityPageFactory,
    AuditorFactory,
    CommentFactory,
    EditorFactory,
    ModeratorFactory,
    NewcomerFactory,
    PollFactory,
    ProposalPageFactory,
    ResidentFactory,
    sealed_civil_code_poll,
)

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "newcomer", "resident1", "editor", "moderator", "auditor"]


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker) -> Iterator[dict[str, User]]:
    """One account of each role but the anonymous visitor's, and what the addresses of the
    table point at: a proposal under discussion with a comment, an open secret poll, a sealed
    one, a draft poll no moderator has approved yet, an activity residents sign up for.

    Every row of the table reads the same data, so it is built once for the module, in a
    transaction rolled back after the module's last test; each test runs in a savepoint
    inside it and leaves it as it was (what Django's ``setUpTestData`` does).
    """
    with django_db_blocker.unblock(), transaction.atomic():
        accounts = {
            "newcomer": NewcomerFactory(),
            "resident1": ResidentFactory(),
            "editor": EditorFactory(),
            "moderator": ModeratorFactory(),
            "auditor": AuditorFactory(),
        }
        garden = ProposalPageFactory(slug="garden-renewal", stage=ProposalStage.VOTING)
        PollFactory(proposal=garden, secret=True)
        PollFactory(title="草稿表决", draft=True)
        sealed_civil_code_poll()
        bike_shed = ProposalPageFactory(slug="bike-shed-charging", stage=ProposalStage.DISCUSSING)
        CommentFactory(proposal=bike_shed, author=accounts["resident1"])
        ActivityPageFactory(signup_enabled=True)
        yield accounts
        transaction.set_rollback(True)


@pytest.fixture
def accounts(site) -> dict[str, User]:
    return site


def targets() -> dict:
    poll = Poll.objects.get(proposal__slug="garden-renewal")
    sealed = Poll.objects.filter(sealed_at__isnull=False).first()
    draft = Poll.objects.get(title="草稿表决")
    proposal = ProposalPage.objects.get(slug="bike-shed-charging")
    activity = ActivityPage.objects.live().filter(signup_enabled=True).first()
    comment = StanceComment.objects.filter(is_public=True, is_removed=False).first()
    return {
        "poll": poll.pk,
        "sealed": sealed.pk,
        "draft": draft.pk,
        "draft_choice": draft.choices.order_by("sort_order").first().pk,
        "proposal": proposal.pk,
        "proposal_url": proposal.url,
        "activity": activity.pk,
        "activity_url": activity.url,
        "comment": comment.pk,
        "choice": poll.choices.order_by("sort_order").first().pk,
    }


GET, POST = "GET", "POST"
A, N, R, E, M, U = ROLES  # column order of the table below

# method, address, data; then the status for: anonymous, newcomer, resident, editor, moderator,
# auditor. 302 for a visitor who must sign in first (to the sign-in page).
MATRIX = [
    (GET, "/", None, [200, 200, 200, 200, 200, 200]),
    (GET, "/healthz", None, [200, 200, 200, 200, 200, 200]),
    (GET, "/news/", None, [200, 200, 200, 200, 200, 200]),
    (GET, "/archive/", None, [200, 200, 200, 200, 200, 200]),
    (GET, "/search/?q=电梯", None, [200, 200, 200, 200, 200, 200]),
    (GET, "{proposal_url}", None, [200, 200, 200, 200, 200, 200]),
    (GET, "{activity_url}", None, [200, 200, 200, 200, 200, 200]),
    (GET, "{activity_url}poster/", None, [200, 200, 200, 200, 200, 200]),
    (GET, "/receipts/", None, [200, 200, 200, 200, 200, 200]),
    (GET, "/calendar/activities.ics", None, [200, 200, 200, 200, 200, 200]),
    (GET, "/calendar/activity-{activity}.ics", None, [200, 200, 200, 200, 200, 200]),
    (GET, "/sitemap.xml", None, [200, 200, 200, 200, 200, 200]),
    (GET, "/api/schema/", None, [200, 200, 200, 200, 200, 200]),
    (GET, "/api/deliberation/polls/", None, [200, 200, 200, 200, 200, 200]),
    (GET, "/api/deliberation/polls/{poll}/", None, [200, 200, 200, 200, 200, 200]),
    (GET, "/api/deliberation/polls/{poll}/ledger/", None, [403, 403, 403, 403, 403, 200]),
    # A draft poll (not yet approved) does not exist for anyone outside the admin; auditors
    # read its (empty) ledger.
    (GET, "/api/deliberation/polls/{draft}/", None, [404, 404, 404, 404, 404, 404]),
    (GET, "/api/deliberation/polls/{draft}/ledger/", None, [403, 403, 403, 403, 403, 200]),
    (GET, "/api/deliberation/me/", None, [403, 200, 200, 200, 200, 200]),
    (GET, "/api/deliberation/me/ballots/", None, [403, 200, 200, 200, 200, 200]),
    (GET, "/api/deliberation/receipts/NOPE-NOPE-NOPE/", None, [404, 404, 404, 404, 404, 404]),
    (GET, "/accounts/login/", None, [200, 200, 200, 200, 200, 200]),
    (GET, "/accounts/signup/", None, [200, 302, 302, 302, 302, 302]),
    (GET, "/accounts/household/", None, [302, 200, 200, 200, 200, 200]),
    (GET, "/accounts/ballots/", None, [302, 200, 200, 200, 200, 200]),
    (GET, "/accounts/password_change/", None, [302, 200, 200, 200, 200, 200]),
    (GET, "/suggestions/", None, [302, 200, 200, 200, 200, 200]),
    (POST, "/polls/{poll}/vote/", {"choices": "{choice}"}, [302, 403, 200, 403, 403, 403]),
    (
        POST,
        "/polls/{poll}/vote/",
        {"choices": "{choice}", "confirm": "1"},
        [302, 403, 302, 403, 403, 403],
    ),
    (POST, "/polls/{draft}/vote/", {"choices": "{draft_choice}"}, [404, 404, 404, 404, 404, 404]),
    (
        POST,
        "/api/deliberation/polls/{draft}/ballots/",
        {"choices": ["{draft_choice}"]},
        [404, 404, 404, 404, 404, 404],
    ),
    (
        POST,
        "/api/deliberation/polls/{poll}/ballots/",
        {"choices": ["{choice}"]},
        [403, 403, 201, 403, 403, 403],
    ),
    (
        POST,
        "/proposals/{proposal}/comments/",
        {"comment": "意见", "stance": "support"},
        [302, 403, 302, 403, 302, 403],
    ),
    (GET, "/comments/{comment}/reply/", None, [200, 200, 200, 200, 200, 200]),
    (POST, "/comments/{comment}/reply/", {"comment": "回复"}, [405, 405, 405, 405, 405, 405]),
    (POST, "/comments/{comment}/flag/", None, [302, 403, 302, 403, 302, 403]),
    (POST, "/proposals/{proposal}/rate/", {"score": "4"}, [302, 409, 409, 409, 409, 409]),
    (POST, "{activity_url}signup/", None, [302, 302, 302, 302, 302, 302]),
    (POST, "{activity_url}cancel/", None, [302, 409, 409, 409, 409, 409]),
    (
        POST,
        "/suggestions/",
        {"title": "增设座椅", "description": "公园"},
        [302, 302, 302, 302, 302, 302],
    ),
    (GET, "/admin/", None, [302, 302, 302, 200, 200, 200]),
    (GET, "/admin/pages/", None, [302, 302, 302, 200, 200, 302]),
    (GET, "/admin/snippets/deliberation/poll/", None, [302, 302, 302, 200, 200, 200]),
    (GET, "/admin/snippets/deliberation/poll/edit/{draft}/", None, [302, 302, 302, 200, 200, 302]),
    (GET, "/admin/snippets/deliberation/stancecomment/", None, [302, 302, 302, 302, 200, 200]),
    (GET, "/admin/snippets/community/residency/", None, [302, 302, 302, 302, 200, 200]),
    (GET, "/admin/snippets/community/household/", None, [302, 302, 302, 302, 200, 200]),
    (GET, "/admin/snippets/deliberation/commentmoderation/", None, [302, 302, 302, 302, 200, 200]),
    (GET, "/admin/snippets/deliberation/sensitiveword/", None, [302, 302, 302, 302, 200, 200]),
    (GET, "/admin/snippets/deliberation/topicsuggestion/", None, [302, 302, 302, 200, 200, 200]),
    (GET, "/admin/snippets/search/searchterm/", None, [302, 302, 302, 200, 200, 302]),
    (GET, "/admin/activities/{activity}/signups/", None, [302, 302, 302, 200, 200, 302]),
    (GET, "/admin/activities/{activity}/signups.csv", None, [302, 302, 302, 200, 200, 302]),
    (GET, "/admin/audit/", None, [302, 302, 302, 403, 403, 200]),
    (GET, "/admin/audit/polls/{poll}/", None, [302, 302, 302, 403, 403, 200]),
    (GET, "/admin/audit/polls/{poll}/export.csv", None, [302, 302, 302, 403, 403, 200]),
    (GET, "/admin/audit/polls/{poll}/export.json", None, [302, 302, 302, 403, 403, 200]),
    (GET, "/admin/audit/residents/", None, [302, 302, 302, 403, 403, 200]),
    (GET, "/admin/audit/polls/{sealed}/participants.csv", None, [302, 302, 302, 403, 403, 200]),
    (GET, "/admin/audit/polls/{sealed}/participants.json", None, [302, 302, 302, 403, 403, 200]),
    (GET, "/admin/audit/polls/{poll}/participants.csv", None, [302, 302, 302, 403, 403, 404]),
    (GET, "/admin/deliberation/early-closes/", None, [302, 302, 302, 403, 200, 200]),
    (GET, "/admin/deliberation/polls/{poll}/seal/", None, [302, 302, 302, 302, 200, 302]),
    (POST, "/admin/deliberation/polls/{poll}/seal/", None, [302, 302, 302, 302, 302, 302]),
    (GET, "/admin/deliberation/polls/{poll}/close-early/", None, [302, 302, 302, 302, 200, 302]),
    (
        POST,
        "/admin/deliberation/polls/{poll}/close-early/",
        {"reason": "停水"},
        [302, 302, 302, 302, 302, 302],
    ),
    (
        POST,
        "/admin/deliberation/comments/{comment}/hide/",
        {"reason": "attack"},
        [302, 302, 302, 302, 302, 302],
    ),
    (GET, "/admin/users/", None, [302, 302, 302, 302, 302, 302]),
]


def client_as(role: str, accounts: dict[str, User]) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(accounts[role])
    return client


def request(client: Client, method: str, url: str, data):
    if method == GET:
        return client.get(url)
    if url.startswith("/api/"):
        return client.post(url, data or {}, content_type="application/json")
    return client.post(url, data or {})


@pytest.mark.parametrize(
    ("method", "url", "data", "expected"), MATRIX, ids=[f"{m} {u}" for m, u, _d, _e in MATRIX]
)
def test_each_role_gets_the_expected_status(accounts, method, url, data, expected):
    from django.db import transaction

    values = targets()
    address = url.format(**values)
    body = {
        key: [int(v.format(**values)) for v in value] if isinstance(value, list) else
        value.format(**values)
        for key, value in (data or {}).items()
    }  # fmt: skip
    got = []
    for role in ROLES:
        with transaction.atomic():  # each role starts from the same data
            got.append(request(client_as(role, accounts), method, address, body).status_code)
            transaction.set_rollback(True)
    assert dict(zip(ROLES, got, strict=True)) == dict(zip(ROLES, expected, strict=True))


def test_a_redirect_from_the_admin_is_a_refusal_unless_the_role_may_act(accounts):
    """Wagtail answers a refused admin action with a redirect, like a done one: check the effect
    behind the 302s of the table."""
    poll = Poll.objects.get(proposal__slug="garden-renewal")
    comment = StanceComment.objects.filter(is_public=True, is_removed=False).first()
    for role in ["editor", "auditor"]:
        client_as(role, accounts).post(f"/admin/deliberation/polls/{poll.pk}/seal/")
        client_as(role, accounts).post(
            f"/admin/deliberation/comments/{comment.pk}/hide/", {"reason": "attack"}
        )
    poll.refresh_from_db()
    assert poll.sealed_at is None
    assert StanceComment.objects.get(pk=comment.pk).status == "shown"
    client_as("moderator", accounts).post(
        f"/admin/deliberation/comments/{comment.pk}/hide/", {"reason": "attack"}
    )
    assert StanceComment.objects.get(pk=comment.pk).status == "hidden"
    # A moderator's seal waits for the announced close; an early close waits for a second
    # person.
    client_as("moderator", accounts).post(f"/admin/deliberation/polls/{poll.pk}/seal/")
    client_as("moderator", accounts).post(
        f"/admin/deliberation/polls/{poll.pk}/close-early/", {"reason": "停水"}
    )
    poll.refresh_from_db()
    assert poll.sealed_at is None and poll.early_closes.count() == 1
    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now())
    client_as("moderator", accounts).post(f"/admin/deliberation/polls/{poll.pk}/seal/")
    poll.refresh_from_db()
    assert poll.sealed_at is not None and poll.sealed_by == accounts["moderator"]


STATE_CHANGES = [row for row in MATRIX if row[0] == POST] + [
    (POST, "/accounts/logout/", None, None),
    (POST, "/accounts/password_change/", {"old_password": "x"}, None),
    (POST, "/accounts/household/", {"building": "1号楼", "room": "101"}, None),
]


@pytest.mark.parametrize(
    ("method", "url", "data", "_expected"),
    STATE_CHANGES,
    ids=[url for _m, url, _d, _e in STATE_CHANGES],
)
def test_every_state_change_needs_the_csrf_token(accounts, method, url, data, _expected):
    """Signed in by session (as a browser is), a request forged from another site carries no
    token: refused, and nothing changes."""
    from deliberation.models import Ballot, SatisfactionRating, TopicSuggestion
    from news.models import SignUp

    def state() -> tuple:
        return (
            Ballot.objects.count(),
            StanceComment.objects.count(),
            SignUp.objects.count(),
            TopicSuggestion.objects.count(),
            SatisfactionRating.objects.count(),
            Poll.objects.filter(sealed_at__isnull=False).count(),
        )

    before = state()
    values = targets()
    address = url.format(**values)
    role = "moderator" if address.startswith("/admin/") else "resident1"
    client = Client(enforce_csrf_checks=True)
    client.force_login(accounts[role])
    response = request(client, method, address, {
        key: [int(v.format(**values)) for v in value] if isinstance(value, list) else
        value.format(**values)
        for key, value in (data or {}).items()
    })  # fmt: skip
    assert response.status_code == 403, (address, response.status_code)
    assert state() == before
