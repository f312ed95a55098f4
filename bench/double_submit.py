"""Twenty verified residents each send two ballots at the same instant, against a server that is
already running (``make run`` on SQLite, ``make serve`` on PostgreSQL): exactly one ballot per
voting unit is accepted, every other request is a 409, the newcomer gets a 403, nothing is a 5xx.

    make run                                  # in one terminal
    .venv/bin/python -m bench.double_submit   # in another (same DATABASE_URL as the server)

Two fresh polls are created (a ``person`` one and a ``household`` one), so the demo's own
ballots do not interfere.
"""

import argparse
import os
from collections import Counter

import django


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection

    from rest_framework.authtoken.models import Token

    from bench.ballots import make_poll, vote_round
    from deliberation.models import Participation, Voters

    User = get_user_model()

    residents = [User.objects.get(username=f"resident{n}") for n in range(1, 21)]
    voters = [(u, Token.objects.get_or_create(user=u)[0].key) for u in residents]
    newcomer = User.objects.get(username="newcomer")
    newcomer_token = Token.objects.get_or_create(user=newcomer)[0].key
    print(f"Database: {connection.vendor}; server on 127.0.0.1:{args.port}")
    for unit in (Voters.RESIDENTS, Voters.HOUSEHOLDS):
        poll = make_poll(f"同时重复提交（{unit}）")
        poll.voters = unit
        poll.save()
        statuses: list[int] = []
        doubled = [voter for voter in voters for _ in range(2)] + [(newcomer, newcomer_token)]
        vote_round(args.port, poll, doubled, [], statuses)
        stored = Participation.objects.filter(poll=poll)
        households = stored.values("household").distinct().count()
        print(
            f"{unit}: statuses {dict(sorted(Counter(statuses).items()))}; ballots stored "
            f"{stored.count()}; households {households if unit == Voters.HOUSEHOLDS else '-'}"
        )


if __name__ == "__main__":
    main()
