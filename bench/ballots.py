"""Ballots per second and latency with 32 concurrent voters, and the time to tally 100,000
ballots.

Voting: 32 verified residents, each with an API token, vote at the same time through
``POST /api/deliberation/polls/<id>/ballots/`` against gunicorn (production settings), in a run
of polls one after another; every request is timed. Afterwards the database must hold exactly
one ballot per voter per poll. Tally: 100,000 ballots are bulk-inserted into one poll, then
``tally_poll`` (the decision at sealing) and ``live_counts`` (what every page view shows) are
timed.
"""

import http.client
import json
import statistics
import threading
import time
import uuid
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

VOTERS = 32


def make_voters(count: int) -> list[tuple[object, str]]:
    from django.contrib.auth import get_user_model

    from rest_framework.authtoken.models import Token

    from community.models import Household, Residency, ResidencyStatus
    from community.services import building_named

    User = get_user_model()

    voters = []
    for number in range(count):
        user, _ = User.objects.get_or_create(username=f"bench-voter-{number}")
        household, _ = Household.objects.get_or_create(
            building=building_named("压测楼"),
            unit="",
            room=str(number),
            defaults={"floor_area": Decimal("80")},
        )
        Residency.objects.get_or_create(
            user=user, household=household, defaults={"status": ResidencyStatus.VERIFIED}
        )
        token, _ = Token.objects.get_or_create(user=user)
        voters.append((user, token.key))
    return voters


def make_poll(title: str):
    from deliberation.models import Choice, Poll

    now = timezone.now()
    poll = Poll.objects.create(
        title=title, opens_at=now - timedelta(minutes=1), closes_at=now + timedelta(hours=1)
    )
    for position, label in enumerate(["同意", "不同意", "弃权"]):
        Choice.objects.create(poll=poll, label=label, sort_order=position)
    return poll


def vote_round(port: int, poll, voters, latencies: list[float], statuses: list[int]) -> None:
    choice = poll.choices.order_by("sort_order").first().pk
    barrier = threading.Barrier(len(voters))
    lock = threading.Lock()

    def voter(token: str) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        body = json.dumps({"choices": [choice]})
        headers = {
            "Host": "localhost",
            "Content-Type": "application/json",
            "Authorization": f"Token {token}",
        }
        barrier.wait()
        started = time.perf_counter()
        connection.request("POST", f"/api/deliberation/polls/{poll.pk}/ballots/", body, headers)
        response = connection.getresponse()
        response.read()
        elapsed = (time.perf_counter() - started) * 1000
        connection.close()
        with lock:
            latencies.append(elapsed)
            statuses.append(response.status)

    threads = [threading.Thread(target=voter, args=(token,)) for _, token in voters]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def run_voting(database_url: str, rounds: int = 30) -> None:
    from bench.http import gunicorn
    from deliberation.models import Participation

    voters = make_voters(VOTERS)
    polls = [make_poll(f"压测表决 {uuid.uuid4().hex[:6]}") for _ in range(rounds)]
    latencies: list[float] = []
    statuses: list[int] = []
    with gunicorn(database_url, workers=4) as port:
        # One unmeasured round first, so every worker has loaded the code before timing starts.
        vote_round(port, make_poll("压测预热"), voters, [], [])
        started = time.monotonic()
        for poll in polls:
            vote_round(port, poll, voters, latencies, statuses)
        elapsed = time.monotonic() - started
    latencies.sort()
    stored = Participation.objects.filter(poll__in=polls).count()
    print(f"\n| {VOTERS} voters × {rounds} polls (gunicorn, 4 workers) | value |")
    print("|---|---:|")
    print(f"| ballots accepted (201) | {statuses.count(201)} of {len(statuses)} |")
    print(f"| other statuses | {sorted(set(statuses) - {201}) or 'none'} |")
    print(f"| ballots stored | {stored} |")
    print(f"| ballots per second | {len(latencies) / elapsed:.0f} |")
    print(
        f"| latency p50 / p95 / max (ms) | {statistics.median(latencies):.0f} / "
        f"{latencies[int(len(latencies) * 0.95) - 1]:.0f} / {latencies[-1]:.0f} |"
    )


def run_tally(ballots: int = 100_000) -> None:
    from deliberation.models import Ballot, BallotChoice, Participation
    from deliberation.tally import live_counts, tally_poll

    poll = make_poll(f"计票压测 {uuid.uuid4().hex[:6]}")
    choices = list(poll.choices.values_list("pk", flat=True))
    started = time.perf_counter()
    with transaction.atomic():
        for offset in range(0, ballots, 5000):
            size = min(5000, ballots - offset)
            participations = Participation.objects.bulk_create(
                Participation(poll=poll, voter_key=f"person:bench-{offset + n}")
                for n in range(size)
            )
            made = Ballot.objects.bulk_create(
                Ballot(poll=poll, participation=p, receipt=uuid.uuid4().hex[:14])
                for p in participations
            )
            BallotChoice.objects.bulk_create(
                BallotChoice(ballot=b, choice_id=choices[n % 3]) for n, b in enumerate(made)
            )
    inserted = time.perf_counter() - started
    started = time.perf_counter()
    result = tally_poll(poll)
    tallied = time.perf_counter() - started
    started = time.perf_counter()
    live_counts(poll)
    live = time.perf_counter() - started
    print(f"\n| {ballots:,} ballots in one poll | seconds |")
    print("|---|---:|")
    print(f"| bulk insert (setup, not a product path) | {inserted:.1f} |")
    print(f"| `tally_poll` (the decision at sealing) | {tallied:.2f} |")
    print(f"| `live_counts` (every page view) | {live:.3f} |")
    print(f"| outcome | {result.outcome} ({result.choices[0].count:,} for) |")
