"""Abuse resistance: sign-in locks after repeated wrong passwords (even for the right one that
follows), rate limits on ballots, comments, sign-ups, topic suggestions and new accounts — each
a 429 with a message in Chinese that loses nothing already saved."""

from datetime import timedelta

from django.test import Client
from django.utils import timezone

import pytest

from core.models import Throttle
from deliberation.models import ProposalStage, StanceComment, TopicSuggestion
from news.models import SignUp
from tests.factories import (
    PASSWORD,
    EditorFactory,
    PollFactory,
    ProposalPageFactory,
    ResidentFactory,
)
from tests.news.test_activities import new_activity

pytestmark = pytest.mark.django_db


def residents(*numbers: int) -> None:
    for number in numbers:
        ResidentFactory(username=f"resident{number}")


def sign_in(client: Client, username: str, password: str, url: str = "/accounts/login/"):
    return client.post(url, {"username": username, "password": password})


# Signing in -----------------------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one():
    residents(1, 2)
    client = Client()
    for _ in range(4):
        wrong = sign_in(client, "resident1", "not-the-password")
        assert wrong.status_code == 400 and "锁定" not in wrong.content.decode()
    fifth = sign_in(client, "resident1", "still-wrong")
    assert fifth.status_code == 429 and "锁定" in fifth.content.decode()
    right = sign_in(client, "resident1", PASSWORD)
    assert right.status_code == 429 and "15 分钟" in right.content.decode()
    assert "_auth_user_id" not in client.session
    # another account, and the same account from elsewhere, are not affected by the lock
    # of resident1 (but resident1 is locked wherever it signs in from)
    assert sign_in(Client(), "resident2", PASSWORD).status_code == 302
    assert sign_in(Client(REMOTE_ADDR="10.0.0.9"), "resident1", PASSWORD).status_code == 429


def test_the_lock_also_holds_in_the_admin_and_ends_after_its_time():
    EditorFactory(username="editor")
    client = Client()
    for _ in range(5):
        sign_in(client, "editor", "wrong", url="/admin/login/")
    admin = sign_in(client, "editor", PASSWORD, url="/admin/login/")
    assert "锁定" in admin.content.decode() and "_auth_user_id" not in client.session
    Throttle.objects.update(blocked_until=timezone.now() - timedelta(seconds=1))
    assert sign_in(client, "editor", PASSWORD, url="/admin/login/").status_code == 302


def test_many_wrong_passwords_from_one_address_lock_that_address(settings):
    residents(*range(1, 11))
    settings.THROTTLE_LIMITS = {"login-address": (6, 900)}
    client = Client(REMOTE_ADDR="192.0.2.7")
    for n in range(6):
        sign_in(client, f"resident{n + 1}", "guess")
    locked = sign_in(client, "resident10", PASSWORD)
    assert locked.status_code == 429 and "网络" in locked.content.decode()
    assert sign_in(Client(REMOTE_ADDR="192.0.2.8"), "resident10", PASSWORD).status_code == 302


def test_the_counts_hold_no_user_name_or_address():
    residents(3)
    sign_in(Client(REMOTE_ADDR="192.0.2.55"), "resident3", "wrong")
    rows = Throttle.objects.filter(scope__startswith="login-")
    stored = " ".join(f"{row.scope} {row.key}" for row in rows)
    assert rows.count() == 2
    assert "resident3" not in stored and "192.0.2.55" not in stored


# Rate limits ----------------------------------------------------------------------------------


def test_comments_beyond_the_rate_are_refused_and_earlier_ones_kept(client_for, settings):
    settings.THROTTLE_LIMITS = {"comment": (3, 600)}
    client = client_for(ResidentFactory(username="resident1"))
    proposal = ProposalPageFactory(slug="bike-shed-charging", stage=ProposalStage.DISCUSSING)
    url = f"/proposals/{proposal.pk}/comments/"
    for n in range(3):
        assert client.post(url, {"comment": f"意见 {n}", "stance": "support"}).status_code == 302
    fourth = client.post(url, {"comment": "第四条", "stance": "support"})
    assert fourth.status_code == 429 and "请等待" in fourth.content.decode()
    kept = StanceComment.objects.filter(user__username="resident1", comment__startswith="意见")
    assert kept.count() == 3
    assert not StanceComment.objects.filter(comment="第四条").exists()


def test_ballot_attempts_beyond_the_rate_get_429_from_the_api(client_for, settings):
    settings.THROTTLE_LIMITS = {"ballot": (3, 600)}
    client = client_for(ResidentFactory())
    poll = PollFactory(
        proposal=ProposalPageFactory(slug="garden-renewal", stage=ProposalStage.VOTING)
    )
    url = f"/api/deliberation/polls/{poll.pk}/ballots/"
    choice = poll.choices.order_by("sort_order").first().pk
    statuses = [
        client.post(url, {"choices": [choice]}, content_type="application/json").status_code
        for _ in range(4)
    ]
    assert statuses == [201, 409, 409, 429]
    refused = client.post(url, {"choices": [choice]}, content_type="application/json")
    assert refused.status_code == 429 and "投票" in refused.json()["detail"]
    assert poll.ballots.count() == 1


def test_sign_ups_beyond_the_rate_are_refused(client_for, settings):
    settings.THROTTLE_LIMITS = {"signup": (2, 3600)}
    client = client_for(ResidentFactory(username="resident1"))
    activities = [new_activity(capacity=5) for _ in range(3)]
    assert client.post(f"{activities[0].url}signup/").status_code == 302
    assert client.post(f"{activities[1].url}signup/").status_code == 302
    third = client.post(f"{activities[2].url}signup/")
    assert third.status_code == 429 and "报名" in third.content.decode()
    assert SignUp.objects.filter(user__username="resident1", activity__in=activities).count() == 2


def test_topic_suggestions_beyond_the_rate_are_refused(client_for, settings):
    settings.THROTTLE_LIMITS = {"suggestion": (2, 3600)}
    client = client_for(ResidentFactory(username="resident20"))
    for n in range(2):
        client.post("/suggestions/", {"title": f"建议 {n}", "description": "内容"})
    third = client.post("/suggestions/", {"title": "建议 3", "description": "内容"})
    assert third.status_code == 429 and "建议" in third.content.decode()
    assert TopicSuggestion.objects.filter(user__username="resident20").count() == 2


def test_new_accounts_from_one_address_are_limited(db, settings):
    settings.THROTTLE_LIMITS = {"account": (2, 3600)}
    client = Client(REMOTE_ADDR="198.51.100.4")
    statuses = []
    for n in range(3):
        client.logout()
        response = client.post(
            "/accounts/signup/",
            {
                "username": f"newcomer{n}",
                "display_name": f"新居民{n}",
                "phone": "",
                "password1": "a-long-enough-secret-9",
                "password2": "a-long-enough-secret-9",
            },
        )
        statuses.append(response.status_code)
    assert statuses == [302, 302, 429]
    assert "网络" in response.content.decode()
