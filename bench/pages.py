"""Render time and SQL queries of the public pages, through Django's test client (no network,
no server: the cost of our code and templates alone)."""

import statistics
import time

from django.db import connection
from django.test import Client

PAGES = [
    ("home", "/"),
    ("news index (10,000 items)", "/news/"),
    ("news index, page 300", "/news/?page=300"),
    ("news item", "/news/water-outage-building-3/"),
    ("activities", "/activities/"),
    ("activity (full, waiting list)", "/activities/choir-rehearsal/"),
    ("议事厅", "/yishiting/"),
    ("proposal", "/yishiting/garden-renewal/"),
    ("standard page", "/guide/"),
    ("search", "/search/?q=%E7%94%B5%E6%A2%AF"),
]


def measure(client: Client, url: str, repeat: int) -> dict:
    client.get(url)  # warm caches and template loading
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    # An execute wrapper, not CaptureQueriesContext: the client closes the connection after
    # each request, and the wrapper survives that.
    with connection.execute_wrapper(count):
        response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {
        "queries": len(queries),
        "median": statistics.median(timings),
        "p95": timings[int(len(timings) * 0.95) - 1],
        "per_second": 1000 / statistics.mean(timings),
    }


def run(repeat: int) -> None:
    """Rendering alone: the anonymous page cache is off here (bench.http measures it)."""
    from django.test import override_settings

    with override_settings(PAGE_CACHE_SECONDS=0):
        _run(repeat)


def _run(repeat: int) -> None:
    client = Client(HTTP_HOST="localhost")
    print("\n| page | SQL queries | median ms | p95 ms | renders/s (1 process) |")
    print("|---|---:|---:|---:|---:|")
    for name, url in PAGES:
        figures = measure(client, url, repeat)
        print(
            f"| {name} `{url}` | {figures['queries']} | {figures['median']:.1f} | "
            f"{figures['p95']:.1f} | {figures['per_second']:.0f} |"
        )
