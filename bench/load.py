"""A busy voting evening, and what goes wrong on one: concurrent voters on PostgreSQL under
gunicorn, with the app server killed (SIGKILL) and PostgreSQL restarted in the middle.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/yishiting_load python -m bench.load \\
        --voters 64 --seconds 60 --faults

Each voter, with an API token, votes through ``POST /api/deliberation/polls/<id>/ballots/`` in
poll after poll, and sends every ballot twice (a double tap). With ``--faults``, at a third of
the time every gunicorn process is killed with SIGKILL and the server started again; at two
thirds PostgreSQL is restarted. Afterwards it checks, and exits non-zero unless all hold:

- every 201 answer's receipt is a stored ballot with its ledger entry (nothing acknowledged is
  lost), and no voter has two ballots in a poll (nothing doubled);
- every stored ballot has its ledger entry and every chain verifies (no partial write);
- no answer was a 500; while the database was down the answers were 503 with a Chinese message.

Only 127.0.0.1 is involved. The figures are printed as Markdown rows for bench/README.md.
"""

import argparse
import http.client
import json
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import django

from bench.http import server_env

ROOT = Path(__file__).resolve().parent.parent


class Server:
    """gunicorn in its own process group, so that it can be killed whole and started again."""

    def __init__(self, database_url: str, port: int, workers: int):
        self.port = port
        self.command = [
            str(Path(sys.executable).parent / "gunicorn"), "config.wsgi",
            "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
            "--log-level", "error", "--timeout", "30",
        ]  # fmt: skip
        # One ballot per voter and poll is the rule under test, not the rate limit.
        self.env = server_env(database_url, THROTTLE_LIMITS=json.dumps({"ballot": [1_000_000, 60]}))
        self.process = None

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603
            self.command, cwd=ROOT, env=self.env, start_new_session=True
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                connection.request("GET", "/healthz", headers={"Host": "localhost"})
                if connection.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise SystemExit("gunicorn did not start")

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)


def restart_postgresql() -> float:
    version = sorted(os.listdir("/etc/postgresql"))[0]
    started = time.monotonic()
    subprocess.run(  # noqa: S603
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],  # noqa: S607
        check=True,
        capture_output=True,
    )
    return time.monotonic() - started


def voter(port, token, polls, stop_at, record) -> None:
    connection = None
    for poll_id, choice_id in polls:
        for _tap in range(2):
            while time.monotonic() < stop_at:
                try:
                    if connection is None:
                        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                    started = time.perf_counter()
                    connection.request(
                        "POST",
                        f"/api/deliberation/polls/{poll_id}/ballots/",
                        body=json.dumps({"choices": [choice_id]}),
                        headers={
                            "Host": "localhost",
                            "Authorization": f"Token {token}",
                            "Content-Type": "application/json",
                        },
                    )
                    response = connection.getresponse()
                    body = response.read().decode()
                    record(response.status, body, time.perf_counter() - started, poll_id)
                    if response.status == 503:
                        time.sleep(0.5)
                        continue  # the database is coming back: try this ballot again
                    break
                except (OSError, http.client.HTTPException):
                    record(None, "", 0.0, poll_id)  # the server went away: reconnect
                    connection = None
                    time.sleep(0.2)
            if time.monotonic() >= stop_at:
                return


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--voters", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--faults", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench.ballots import make_poll, make_voters
    from bench.http import free_port
    from deliberation.ledger import verify_poll
    from deliberation.models import Ballot, LedgerEntry

    if connection.vendor != "postgresql":
        raise SystemExit("Run it on PostgreSQL: DATABASE_URL=postgres://…")
    call_command("migrate", verbosity=0)
    call_command("load_demo", "--quiet")
    voters = make_voters(args.voters)
    polls = []
    for number in range(int(args.seconds * 6) + 20):
        poll = make_poll(f"压测表决 {secrets.token_hex(3)} {number}")
        polls.append((poll, poll.choices.order_by("sort_order").first().pk))
    connection.close()

    server = Server(os.environ["DATABASE_URL"], free_port(), args.workers)
    server.start()
    lock = threading.Lock()
    answers: list[tuple] = []

    def record(status, body, seconds, poll_id) -> None:
        with lock:
            answers.append((status, body, seconds, poll_id))

    started = time.monotonic()
    stop_at = started + args.seconds
    targets = [(poll.pk, choice) for poll, choice in polls]
    threads = [
        threading.Thread(target=voter, args=(server.port, token, targets, stop_at, record))
        for _user, token in voters
    ]
    for thread in threads:
        thread.start()
    events = []
    try:
        if args.faults:
            time.sleep(args.seconds / 3)
            server.kill()
            events.append(f"{time.monotonic() - started:.0f} s: gunicorn killed (SIGKILL)")
            server.start()
            events.append(f"{time.monotonic() - started:.0f} s: gunicorn started again")
            time.sleep(max(0.0, started + args.seconds * 2 / 3 - time.monotonic()))
            took = restart_postgresql()
            events.append(
                f"{time.monotonic() - started:.0f} s: PostgreSQL restarted ({took:.1f} s)"
            )
        for thread in threads:
            thread.join()
    finally:
        server.stop()
    elapsed = time.monotonic() - started

    connection.close()
    statuses = Counter(status for status, *_ in answers)
    receipts = [json.loads(body)["receipt"] for status, body, *_ in answers if status == 201]
    stored = set(Ballot.objects.filter(receipt__in=receipts).values_list("receipt", flat=True))
    poll_ids = [poll.pk for poll, _choice in polls]
    ballots = Ballot.objects.filter(poll_id__in=poll_ids)
    entries = LedgerEntry.objects.filter(poll_id__in=poll_ids)
    without_entry = ballots.exclude(pk__in=entries.values("ballot_id")).count()
    doubled = len(receipts) - len(set(receipts))
    failed_chains = [poll.pk for poll, _choice in polls if verify_poll(poll)]
    unavailable = [body for status, body, *_ in answers if status == 503]
    chinese_503 = all("请" in json.loads(body)["detail"] for body in unavailable)
    latencies = sorted(seconds * 1000 for status, _b, seconds, _p in answers if status == 201)

    print(f"\n{args.voters} voters, {args.workers} gunicorn workers, {elapsed:.0f} s, PostgreSQL")
    for event in events:
        print(f"- {event}")
    print("\n| figure | value |\n|---|---:|")
    print(f"| ballots accepted (201) | {statuses[201]:,} |")
    print(f"| ballots accepted per second | {statuses[201] / elapsed:,.1f} |")
    if latencies:
        print(f"| 201 latency p50 / p99 | {latencies[len(latencies) // 2]:.0f} / "
              f"{latencies[int(len(latencies) * 0.99) - 1]:.0f} ms |")  # fmt: skip
    print(f"| second taps refused (409) | {statuses[409]:,} |")
    others = sum(n for status, n in statuses.items() if status not in (201, 409, 503, 500, None))
    print(f"| 503 while the database was down, in Chinese: {chinese_503} | {statuses[503]:,} |")
    print(f"| connections lost (server killed) | {statuses[None]:,} |")
    print(f"| 500 | {statuses[500]:,} |")
    print(f"| other answers | {others:,} |")
    print(f"| 201 receipts not stored (lost) | {len(receipts) - len(stored):,} |")
    print(f"| receipts answered twice (doubled) | {doubled:,} |")
    print(f"| ballots stored / ledger entries | {ballots.count():,} / {entries.count():,} |")
    print(f"| ballots without a ledger entry | {without_entry:,} |")
    print(f"| chains that do not verify | {len(failed_chains)} |")
    problems = (
        (len(receipts) - len(stored)) + doubled + without_entry + len(failed_chains)
        + statuses[500] + (0 if chinese_503 else 1)
    )  # fmt: skip
    if problems:
        raise SystemExit(f"FAILED: {problems} problem(s) above")
    print("\nAll held: nothing acknowledged was lost, nothing doubled, every chain verifies.")


if __name__ == "__main__":
    main()
