"""Requests per second and latency of real HTTP requests to the site under gunicorn.

The server runs with production settings (DEBUG off, whitenoise) and 2 sync workers on
127.0.0.1; a client in this process keeps connections alive from several threads for a fixed
time. Client and server share the machine's two cores, so the figures are a floor, measured
the same way each time.
"""

import http.client
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The pages also measured with nothing remembered (see run()).
COLD_PAGES = {"home", "news index (10,000 items)", "news item", "proposal"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(database_url: str, **extra_env: str) -> dict:
    """Production settings on plain HTTP over loopback, for a server the benchmarks start."""
    return {
        **os.environ,
        **extra_env,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
    }


@contextmanager
def gunicorn(database_url: str, workers: int = 2, **extra_env: str):
    """A gunicorn serving the site on a free loopback port, stopped afterwards."""
    port = free_port()
    env = server_env(database_url, **extra_env)
    python = Path(sys.executable)
    subprocess.run(  # noqa: S603
        [python, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    server = subprocess.Popen(  # noqa: S603
        [
            python.parent / "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def load(port: int, path: str, seconds: float = 8.0, concurrency: int = 4) -> dict:
    """Hit ``path`` from ``concurrency`` keep-alive connections for ``seconds``."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client() -> None:
        nonlocal errors
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine, failed = [], 0
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Host": "localhost"})
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    failed += 1
            except (OSError, http.client.HTTPException):
                failed += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                continue
            mine.append((time.perf_counter() - started) * 1000)
        with lock:
            latencies.extend(mine)
            errors += failed

    # Warm every worker before measuring.
    for _ in range(10):
        warm = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        warm.request("GET", path, headers={"Host": "localhost"})
        warm.getresponse().read()
        warm.close()
    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": errors,
        "per_second": len(latencies) / elapsed,
        "p50": statistics.median(latencies) if latencies else 0.0,
        "p95": latencies[int(len(latencies) * 0.95) - 1] if latencies else 0.0,
    }


def wrk(port: int, path: str, seconds: float, connections: int = 8) -> dict | None:
    """The same measurement with wrk (Debian's package), when it is installed: a client in C,
    so the figures are the server's rather than the client's."""
    binary = shutil.which("wrk")
    if binary is None:
        return None
    for _ in range(10):  # warm every worker
        warm = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        warm.request("GET", path, headers={"Host": "localhost"})
        warm.getresponse().read()
        warm.close()
    output = subprocess.run(  # noqa: S603
        [binary, "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency",
         "-H", "Host: localhost", f"http://127.0.0.1:{port}{path}"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip

    def milliseconds(label: str) -> float:
        match = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return {
        "per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": milliseconds("50%"),
        "p99": milliseconds("99%"),
        "errors": (int(errors.group(1)) if errors else 0)
        + (sum(int(n) for n in socket_errors.groups()) if socket_errors else 0),
    }


def measure(port: int, path: str, seconds: float) -> dict:
    figures = wrk(port, path, seconds)
    if figures is None:
        figures = load(port, path, seconds=seconds)
        figures["p99"] = figures["p95"]  # the Python client's tail; the table says p95
    return figures


def run(database_url: str, paths: list[tuple[str, str]], seconds: float) -> None:
    """Every page uncached and cached (anonymous visitors), beside the ceiling measured in the
    same run: a minimal Django view through the whole middleware stack, and a static file."""
    with_wrk = shutil.which("wrk") is not None
    client = "wrk, 1 thread, 8 connections" if with_wrk else "Python client, 4 threads"
    tail = "p99" if with_wrk else "p95"  # the Python client's figures are too few for a p99
    print(f"\n| gunicorn, 2 workers; {client} ", end="")
    print(f"| requests/s | % of minimal view | p50 ms | {tail} ms | errors |")
    print("|---|---:|---:|---:|---:|---:|")
    ceiling = None

    def row(name: str, path: str, port: int) -> None:
        nonlocal ceiling
        figures = measure(port, path, seconds)
        ceiling = ceiling or figures["per_second"]
        print(
            f"| {name} `{path}` | {figures['per_second']:,.0f} | "
            f"{figures['per_second'] / ceiling * 100:.1f} % | {figures['p50']:.1f} | "
            f"{figures['p99']:.1f} | {figures['errors']} |"
        )

    with gunicorn(database_url, PAGE_CACHE_SECONDS="0") as port:
        row("minimal Django view (the ceiling)", "/healthz", port)
        row("static file (whitenoise)", _static_url(port), port)
        for name, path in paths:
            row(f"{name}, uncached", path, port)
    # Cold: not even the site lookups remembered per generation (site, home page, menu,
    # settings, private sections), as on the first request after a change.
    with gunicorn(database_url, PAGE_CACHE_SECONDS="0", PAGE_CACHE_REMEMBER="0") as port:
        for name, path in paths:
            if name in COLD_PAGES:
                row(f"{name}, cold", path, port)
    with gunicorn(database_url) as port:
        for name, path in paths:
            row(f"{name}, anonymous page cache", path, port)


def _static_url(port: int) -> str:
    """The stylesheet's address as the running site serves it (hashed by the manifest)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/guide/", headers={"Host": "localhost"})
    html = connection.getresponse().read().decode()
    return re.search(r'href="(/static/[^"]+\.css)"', html).group(1)
